// Starts a worker thread from a module beside the caller, whether that module runs as TypeScript
// source (tsx, vitest: the server, benchmarks, tests) or as built JavaScript.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** URL of tsx's ESM register API (the package's `import` export of `tsx/esm/api`). */
function tsxEsmApi(): string {
  return pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
}

/**
 * `moduleUrl` names the worker's entry with a `.ts` extension; it is swapped for `.js` when the caller
 * itself is JavaScript. Node 20 does not pass `--import tsx` hooks on to workers, so a TypeScript entry
 * is reached through a bootstrap that registers tsx inside the worker first.
 */
export function startWorker(moduleUrl: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const isTs = moduleUrl.pathname.endsWith('.ts') && import.meta.url.endsWith('.ts');
  if (!isTs) return new Worker(new URL(moduleUrl.href.replace(/\.ts$/, '.js')), options);
  const bootstrap = `import(${JSON.stringify(tsxEsmApi())}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
