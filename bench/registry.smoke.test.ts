import { describe, expect, it, vi } from 'vitest';
import registryBench from './registry.bench.js';

describe('registry benchmark', () => {
  it('runs at smoke size and reports every shape', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    try {
      await registryBench({ smoke: true, people: '300', runs: '2', 'skip-import': true });
    } finally {
      log.mockRestore();
    }
    const result = JSON.parse(lines.find((l) => l.startsWith('RESULT '))!.slice(7)) as { metrics: Record<string, number> };
    for (const shape of ['subtree_specialty', 'subtree_age_edu', 'tenure_5y', 'cert_valid_on', 'name_zh', 'name_vi']) {
      expect(result.metrics[`pglite.${shape}.p95_ms`]).toBeGreaterThan(0);
      if (process.env.DATABASE_URL) expect(result.metrics[`pg.${shape}.p95_ms`]).toBeGreaterThan(0);
    }
  }, 180_000);
});
