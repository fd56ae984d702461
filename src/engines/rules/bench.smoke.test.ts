// Runs `npm run bench -- eligibility --smoke` the way a person would, so the benchmark cannot rot.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('eligibility benchmark', () => {
  it('runs in smoke mode, agrees with json-rules-engine and cel-js, and prints a RESULT line', async () => {
    const { stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/tsx'), ['bench/run.ts', 'eligibility', '--smoke'], {
      cwd: root,
      timeout: 120_000,
    });
    const line = stdout.trim().split('\n').at(-1) ?? '';
    expect(line.startsWith('RESULT ')).toBe(true);
    const result = JSON.parse(line.slice('RESULT '.length)) as {
      name: string;
      metrics: Record<string, number | string>;
      baseline: Record<string, number | string>;
    };
    expect(result.name).toBe('eligibility');
    expect(result.metrics['mode']).toBe('smoke');
    expect(result.metrics['policies']).toBe(10);
    expect(result.metrics['engine.decisions']).toBe(20_000);
    expect(result.metrics['agreement.all']).toBe('yes');
    expect(result.metrics['agreement.decisions_agree']).toBe(result.metrics['agreement.decisions_compared']);
    expect(result.metrics['agreement.clause_outcomes_agree']).toBe(result.metrics['agreement.clause_outcomes_compared']);
    expect(result.metrics['celjs.decisions_agree']).toBe(result.metrics['agreement.decisions_compared']);
    for (const key of ['engine.decisions_per_s', 'speedup', 'engine.peak_rss_mb']) expect(result.metrics[key]).toBeGreaterThan(0);
    expect(result.baseline['baseline.decisions_per_s']).toBeGreaterThan(0);
  });
});
