// Runs both roster benchmarks in --smoke mode so they cannot rot unnoticed.
import { describe, expect, it, vi } from 'vitest';
import curtois from '../../../bench/curtois.bench.js';
import roster from '../../../bench/roster.bench.js';

function lastResult(log: { mock: { calls: unknown[][] } }): { name: string; metrics: Record<string, number | string | null> } {
  const lines = log.mock.calls.map((c: unknown[]) => String(c[0]));
  const last = lines[lines.length - 1] ?? '';
  expect(last.startsWith('RESULT ')).toBe(true);
  return JSON.parse(last.slice('RESULT '.length)) as { name: string; metrics: Record<string, number | string | null> };
}

describe('roster benchmarks (--smoke)', () => {
  it('curtois', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await curtois({ smoke: true, seconds: '1' });
      const r = lastResult(log);
      expect(r.name).toBe('curtois');
      expect(r.metrics['Instance1.feasible']).toBe(1);
      expect(typeof r.metrics['Instance1.objective']).toBe('number');
      expect(r.metrics['Instance1.best_known']).toBe(607);
      expect(r.metrics['Instance2.feasible']).toBe(1);
      expect(r.metrics.evaluator_mismatches).toBe(0);
    } finally {
      log.mockRestore();
    }
  });

  it('roster', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await roster({ smoke: true, seconds: '1' });
      const r = lastResult(log);
      expect(r.name).toBe('roster');
      expect(r.metrics['roster.hard']).toBe(0);
      expect(typeof r.metrics['roster.soft']).toBe('number');
      expect(typeof r.metrics['roster.first_feasible_s']).toBe('number');
      expect(r.metrics['roster.evaluator_agrees']).toBe(1);
    } finally {
      log.mockRestore();
    }
  });
});
