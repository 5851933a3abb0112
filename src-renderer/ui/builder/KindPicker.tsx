import { useEffect, useRef, useState } from 'react';
import type { StepKind } from '@shared/model/plan';
import { Button } from '../components/ui';
import { KINDS } from './kinds';

const GROUPS = [...new Set(KINDS.map((k) => k.group))];

/** "+ Add step…": every step kind, grouped, as a keyboard-friendly popover (Escape closes it). */
export function KindPicker({ onPick }: { onPick: (kind: StepKind) => void }) {
  const [open, setOpen] = useState(false);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) first.current?.focus();
  }, [open]);
  return (
    <div className="kind-picker">
      <Button aria-expanded={open} aria-controls="kind-picker-panel" onClick={() => setOpen(!open)}>
        + Add step…
      </Button>
      {open ? (
        <div
          className="kind-panel"
          id="kind-picker-panel"
          role="group"
          aria-label="Step kinds"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          {GROUPS.map((g) => (
            <div key={g} className="kind-group">
              <h3 className="small muted">{g}</h3>
              {KINDS.filter((k) => k.group === g).map((k, i) => (
                <button
                  key={k.kind}
                  ref={g === GROUPS[0] && i === 0 ? first : undefined}
                  type="button"
                  className="kind-option"
                  onClick={() => {
                    onPick(k.kind);
                    setOpen(false);
                  }}
                >
                  <span className="kind-icon" aria-hidden="true">
                    {k.icon}
                  </span>
                  <span>
                    <strong>{k.label}</strong>
                    <span className="small muted">{k.hint}</span>
                  </span>
                </button>
              ))}
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
