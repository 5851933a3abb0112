import { useEffect, useState } from 'react';
import { useClient } from './store';

export interface Progress {
  done: number;
  total: number;
}

/** The engine's `bulkProgress` events for one job (the job id the screen passed to the bulk call). */
export function useBulkProgress(jobId: string | null): Progress | null {
  const client = useClient();
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    setProgress(null);
    if (!jobId) return;
    return client.on('bulkProgress', (p) => {
      if (p.jobId === jobId) setProgress({ done: p.done, total: p.total });
    });
  }, [client, jobId]);
  return progress;
}

export const newJobId = (): string => crypto.randomUUID();
