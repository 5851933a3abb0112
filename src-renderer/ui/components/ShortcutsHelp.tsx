import { useEffect, useState } from 'react';
import { Modal } from './Modal';
import { Button } from './ui';

const SHORTCUTS: [string, string][] = [
  ['?', 'Show this list'],
  ['Alt+1 … Alt+7', 'Go to Leads, Action plans, Outbox, Lead routing, Team, Settings, Templates'],
  ['N', 'New plan (on the plan list)'],
  ['/', 'Search plans (on the plan list)'],
  ['Ctrl+S', 'Save the plan you are editing'],
  ['Alt+↑ / Alt+↓', 'Move the focused step up or down'],
  ['Space, arrows, Space', 'Pick up, move and drop a step by its ⠿ handle'],
  ['Esc', 'Close a dialog or menu'],
];

/** The "?" popover listing the keyboard shortcuts. */
export function ShortcutsHelp() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && e.target.closest('input, textarea, select');
      if (e.key === '?' && !typing) {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <button type="button" className="nav-item small" onClick={() => setOpen(true)}>
        Keyboard shortcuts <kbd>?</kbd>
      </button>
      <Modal open={open} title="Keyboard shortcuts" onClose={() => setOpen(false)}>
        <dl className="shortcuts">
          {SHORTCUTS.map(([k, d]) => (
            <div key={k}>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{d}</dd>
            </div>
          ))}
        </dl>
        <div className="dialog-actions">
          <Button onClick={() => setOpen(false)}>Close</Button>
        </div>
      </Modal>
    </>
  );
}
