// Runs both benchmarks in --smoke mode so they cannot rot.
import { describe, expect, it, vi } from 'vitest';
import mobilise from '../../../bench/mobilise.bench.js';
import placement from '../../../bench/placement.bench.js';

function captureResult(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  return { lines, restore: () => spy.mockRestore() };
}

describe('benchmarks --smoke', () => {
  it('placement reaches the HiGHS optimum', async () => {
    const c = captureResult();
    try {
      await placement({ smoke: true });
    } finally {
      c.restore();
    }
    const result = JSON.parse(c.lines.at(-1)!.replace(/^RESULT /, '')) as { metrics: Record<string, number | string | null> };
    expect(result.metrics['placement.gap_pct']).toBe(0);
    expect(result.metrics['placement.objective']).toBe(result.metrics['placement.optimum']);
  }, 120_000);

  it('mobilise has zero gap on the HiGHS-sized instance', async () => {
    const c = captureResult();
    try {
      await mobilise({ smoke: true });
    } finally {
      c.restore();
    }
    const result = JSON.parse(c.lines.at(-1)!.replace(/^RESULT /, '')) as { metrics: Record<string, number | string | null> };
    expect(result.metrics['mobilise.gap_pct']).toBe(0);
    expect(typeof result.metrics['mobilise.p95_ms']).toBe('number');
  }, 120_000);
});
