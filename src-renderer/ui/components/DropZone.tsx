import { useId, useRef, useState } from 'react';

/**
 * A file picker that also takes a dropped file. The visible button opens the native picker, so
 * the keyboard path is the ordinary one; dropping is the shortcut.
 */
export function DropZone({
  label,
  hint,
  accept,
  onFile,
  disabled,
}: {
  label: string;
  hint: string;
  accept: string;
  onFile: (file: File) => void;
  disabled?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const id = useId();
  return (
    <div
      className={`dropzone${over ? ' dropzone-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const file = e.dataTransfer.files[0];
        if (file && !disabled) onFile(file);
      }}
    >
      <label htmlFor={id} className="btn btn-secondary">
        {label}
      </label>
      <input
        ref={input}
        id={id}
        className="sr-only"
        type="file"
        accept={accept}
        disabled={disabled}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onFile(file);
          e.target.value = '';
        }}
      />
      <p id={`${id}-hint`} className="small muted">
        {hint}
      </p>
    </div>
  );
}

export function ProgressBar({ label, value, max }: { label: string; value: number; max: number }) {
  const pct = max > 0 ? Math.round((value / max) * 100) : 0;
  return (
    <div className="progress-wrap">
      <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={max} aria-valuenow={value}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <p className="small muted">
        {value.toLocaleString()} of {max.toLocaleString()} ({pct}%)
      </p>
    </div>
  );
}
