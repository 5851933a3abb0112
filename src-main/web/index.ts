import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { DEFAULT_PORT, PortInUseError, startWebHost } from './server';
import type { WebHostOptions } from './server';

const USAGE = `Usage: npm run web -- [--port N] [--data-dir DIR] [--renderer-dir DIR] [--test-mode]
  --port N            port on 127.0.0.1 (default ${DEFAULT_PORT}, or ACTION_PLANS_PORT)
  --data-dir DIR      where the host keeps its files (or ACTION_PLANS_DATA_DIR)
  --renderer-dir DIR  the built renderer (default: out/renderer next to this build)
  --test-mode         enables the test clock (or ACTION_PLANS_TEST_MODE=1)`;

function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'action-plans');
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`"${text}" is not a port number (1-65535).`);
  return port;
}

function readOptions(argv: string[], env: NodeJS.ProcessEnv): WebHostOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'renderer-dir': { type: 'string' },
      'test-mode': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  // The build puts this file at out/main/web.js and the renderer at out/renderer.
  const here = dirname(fileURLToPath(import.meta.url));
  const port = values.port ?? env.ACTION_PLANS_PORT;
  return {
    port: port === undefined ? DEFAULT_PORT : parsePort(port),
    dataDir: resolve(values['data-dir'] ?? env.ACTION_PLANS_DATA_DIR ?? defaultDataDir()),
    rendererDir: resolve(values['renderer-dir'] ?? join(here, '..', 'renderer')),
    testMode: values['test-mode'] === true || env.ACTION_PLANS_TEST_MODE === '1',
    version,
  };
}

async function main(): Promise<void> {
  let options: WebHostOptions | 'help';
  try {
    options = readOptions(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  try {
    const web = await startWebHost(options);
    // The one line scripts and people read to find the app; the token lives only in this process and this line.
    process.stdout.write(`Action Plans (web) running at ${web.url}\n`);
    let stoppingSince = 0;
    const stop = (): void => {
      // Ctrl+C reaches both this process and `npm run web`, which forwards it: a repeat within a
      // second is that echo. A later one is the user insisting, so stop without waiting for sends.
      if (stoppingSince) {
        if (Date.now() - stoppingSince > 1000) process.exit(130);
        return;
      }
      stoppingSince = Date.now();
      web.close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error('Web host did not stop cleanly:', err);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (err) {
    if (err instanceof PortInUseError) {
      console.error(
        `Port ${err.port} on 127.0.0.1 is already in use (is Action Plans already running?). ` +
          `Choose another with --port N (or ACTION_PLANS_PORT=N). ` +
          `The app's data lives in the browser per address, so a different port starts with an empty app; keep using the same one.`,
      );
    } else {
      console.error('The web host could not start:', err);
    }
    process.exit(1);
  }
}

void main();
