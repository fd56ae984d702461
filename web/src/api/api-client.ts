import type { ErrorResponse } from '../../../src/contracts/common.js';

export type ErrorDetail = ErrorResponse['error']['details'][number];

/** A failed API call, carrying the server's already-localised message and field details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type QueryParams = Record<string, QueryValue>;

// Module state rather than React context: every request needs them, including ones made outside components.
let csrfToken = '';
let language = 'zh-CN';
let onUnauthenticated: () => void = () => {};

export function setCsrfToken(token: string): void {
  csrfToken = token;
}
export function setApiLanguage(lang: string): void {
  language = lang;
}
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

/** Lists go comma-separated, which the server's listParam accepts; empty values are dropped so URLs stay short. */
export function toQueryString(params: QueryParams): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) sp.set(k, v.join(','));
    } else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export function apiUrl(path: string, params: QueryParams = {}): string {
  return `/api${path}${toQueryString({ ...params, lang: language })}`;
}

async function parseError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as Partial<ErrorResponse>;
    if (body.error) return new ApiError(res.status, body.error.code, body.error.message, body.error.details ?? []);
  } catch {
    // Not JSON (proxy error page, network hiccup): fall through to a generic error.
  }
  return new ApiError(res.status, res.status >= 500 ? 'internal' : 'unknown', res.statusText || `HTTP ${res.status}`);
}

export async function request<T>(
  method: string,
  path: string,
  opts: { query?: QueryParams; body?: unknown; form?: FormData } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(`/api${path}${toQueryString(opts.query ?? {})}`, { method, headers, body, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    const err = await parseError(res);
    if (err.code === 'unauthenticated') onUnauthenticated();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams) => request<T>('GET', path, query ? { query } : {}),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body: body ?? {} }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { form }),
};
