import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectEngine } from './lib/engine-client';
import { errorMessage } from './lib/errors';
import { restoreSession } from './lib/profile';
import { useApp } from './lib/store';
import './styles.css';
import './plans.css';

const root = createRoot(document.getElementById('root')!);
root.render(<p className="boot">Starting Action Plans…</p>);

// The engine outlives UI windows: a window that closes says goodbye so the engine drops its port.
// (A page kept in the back-forward cache may come back, so it keeps its connection.)
window.addEventListener('pagehide', (ev) => {
  if (!ev.persisted) useApp.getState().client?.close();
});

connectEngine((replacement) => {
  const { client: old, session } = useApp.getState();
  old?.close();
  if (session) replacement.actAs(session.currentUser.id);
  if (session) useApp.getState().setClient(replacement, session);
})
  .then(async (client) => {
    const session = await restoreSession(client);
    useApp.getState().setClient(client, session);
    // Test mode only: benchmarks and end-to-end tests seed data and set up what the screens cannot yet
    // (e.g. a plan with a webhook step) through the same contract the UI uses.
    if (session.testMode) Object.assign(window, { actionPlansTest: { call: client.call.bind(client) }, testEngine: client });
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  })
  .catch((err: unknown) => {
    root.render(
      <div className="boot boot-error" role="alert">
        <h1>Action Plans could not start</h1>
        <p>{errorMessage(err)}</p>
      </div>,
    );
  });
