import { useQuery } from '@tanstack/react-query';
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

/** Polls a job once a second until it finishes. */
export function useJob(jobId: string | null) {
  return useQuery({
    queryKey: ['job', jobId],
    queryFn: () => api.get<ImportJob>(`/jobs/${jobId}`),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data && (q.state.data.status === 'succeeded' || q.state.data.status === 'failed') ? false : 1000),
  });
}
