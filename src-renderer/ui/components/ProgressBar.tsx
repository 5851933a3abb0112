/** A labelled progress bar ("120 of 500 leads"). */
export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  return (
    <div className="progress">
      <div className="progress-track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
        <div className="progress-fill" style={{ width: `${total ? Math.round((done / total) * 100) : 0}%` }} />
      </div>
      <span className="small muted">
        {done} of {total}
      </span>
    </div>
  );
}
