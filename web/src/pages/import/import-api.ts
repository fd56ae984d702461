import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ImportMapping, ImportReport, ImportUploadResponse, SavedMapping } from '../../../../src/contracts/import.js';
import { api } from '../../api/api-client.js';
import type { Job } from '../jobs/jobs.page.js';

export type Upload = ImportUploadResponse;
export type Mapping = ImportMapping;
export type Report = ImportReport;
export type Saved = z.infer<typeof SavedMapping>;
export type ImportJob = Omit<Job, 'result'> & { result: Report | null };

export const uploadFile = (file: File) => {
  const form = new FormData();
  form.append('file', file, file.name);
  return api.upload<Upload>('/imports', form);
};
/** The summary of another worksheet of the same upload: its headers, samples and a mapping guessed from them. */
export const readSheet = (uploadId: string, sheet: string) => api.get<Upload>(`/imports/${uploadId}`, { sheet });

/** `sheet` is the worksheet the mapping was made for (null for CSV). */
export const startRun = (uploadId: string, mode: 'dry-run' | 'commit', mapping: Mapping, sheet: string | null) =>
  api.post<{ jobId: string }>(`/imports/${uploadId}/${mode}`, { mapping, ...(sheet ? { sheet } : {}) });

export function useSavedMappings() {
  return useQuery({
    queryKey: ['import-mappings'],
    // Accept a bare array or { items }: the list endpoint's envelope is not part of the shared contract.
    queryFn: () => api.get<Saved[] | { items: Saved[] }>('/import-mappings').then((r) => (Array.isArray(r) ? r : r.items)),
    retry: false,
  });
}

const finished = (job: { status?: string } | undefined) => job?.status === 'succeeded' || job?.status === 'failed';

/**
 * A job until it finishes: polled once a second, and followed through its events stream, which goes
 * on reporting progress while a poll waits (on the embedded database a large import's commit holds
 * the only connection until it ends).
 */
export function useJob(jobId: string | null) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => api.get<ImportJob>(`/jobs/${jobId}`),
    enabled: !!jobId,
    refetchInterval: (q) => (finished(q.state.data) ? false : 1000),
  });
  const done = finished(query.data);
  useEffect(() => {
    if (!jobId || done || typeof EventSource === 'undefined') return;
    const events = new EventSource(`/api/jobs/${jobId}/events`);
    events.onmessage = (m: MessageEvent<string>) => {
      const update = JSON.parse(m.data) as Partial<ImportJob>;
      // A poll may already have the finished row: an older progress event does not undo it.
      client.setQueryData<ImportJob>(['job', jobId], (old) => (finished(old) ? old : ({ ...old, ...update } as ImportJob)));
      if (finished(update)) events.close();
    };
    // The stream is an extra: on an error the browser retries it, and polling goes on regardless.
    return () => events.close();
  }, [jobId, done, client]);
  return query;
}
