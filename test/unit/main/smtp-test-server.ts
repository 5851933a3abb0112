import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions } from 'smtp-server';
import type { SmtpAccount } from '@shared/contract/host';

/** One message as the mail server received it: the envelope and the raw RFC 5322 text. */
export interface ReceivedMessage {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

export interface TestSmtpOptions {
  /** When given, the server requires login with one of these user -> password pairs. */
  users?: Record<string, string>;
  /** Returns an SMTP reply code to refuse a recipient with (e.g. 550), or null to accept. */
  refuseRecipient?: (address: string) => number | null;
  /**
   * Called at MAIL FROM with the number of messages accepted so far: a reply to refuse the message
   * with (e.g. 421 "4.7.0 Too many messages"), or null to go on. Models a provider's throttling.
   */
  refuseMail?: (accepted: number) => { code: number; message: string } | null;
  /** Offer STARTTLS (with smtp-server's built-in, self-signed certificate). */
  starttls?: boolean;
  /** Cut the connection while the message body is arriving (a network drop mid-send). */
  dropMidSend?: () => boolean;
  /** Listen on this port (to bring a stopped server back at the same address); default: a free one. */
  port?: number;
}

export interface TestSmtp {
  port: number;
  received: ReceivedMessage[];
  close(): Promise<void>;
}

const replyError = (message: string, responseCode: number): Error => Object.assign(new Error(message), { responseCode });

/** A real SMTP server (the `smtp-server` package) on 127.0.0.1 at a free port, as DESIGN §6 asks. */
export async function startTestSmtp(options: TestSmtpOptions = {}): Promise<TestSmtp> {
  const received: ReceivedMessage[] = [];
  const sockets = new Set<Socket>();
  const config: SMTPServerOptions = {
    logger: false,
    // No reverse DNS of 127.0.0.1 per connection: it costs ~100 ms each on this machine.
    disableReverseLookup: true,
    authOptional: !options.users,
    allowInsecureAuth: true,
    disabledCommands: options.starttls ? [] : ['STARTTLS'],
    onAuth(auth, _session, callback) {
      const ok = options.users && auth.username !== undefined && options.users[auth.username] === auth.password;
      if (ok) callback(null, { user: auth.username });
      else callback(replyError('5.7.8 Invalid username or password', 535));
    },
    onMailFrom(_address, _session, callback) {
      const refusal = options.refuseMail?.(received.length) ?? null;
      callback(refusal ? replyError(refusal.message, refusal.code) : null);
    },
    onRcptTo(address, _session, callback) {
      const code = options.refuseRecipient?.(address.address) ?? null;
      callback(code === null ? null : replyError(`Mailbox ${address.address} is not accepted here`, code));
    },
    onData(stream, session, callback) {
      if (options.dropMidSend?.()) {
        stream.once('data', () => sockets.forEach((s) => s.destroy()));
        stream.on('end', () => undefined);
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback(null);
      });
    },
  };
  const server = new SMTPServer(config);
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.on('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return { port, received, close: () => new Promise<void>((done) => server.close(() => done())) };
}

export function accountFor(port: number, overrides: Partial<SmtpAccount> = {}): SmtpAccount {
  return {
    host: '127.0.0.1',
    port,
    security: 'none',
    user: '',
    fromName: 'Dana Agent',
    fromEmail: 'dana@realty.example',
    passwordSecret: null,
    ...overrides,
  };
}

export const message = {
  to: 'lead@buyer.example',
  toName: 'Pat Lead',
  subject: 'Homes in your price range',
  html: '<p>Hello <b>Pat</b>, three new listings match.</p>',
  text: 'Hello Pat, three new listings match.',
};
