// Placement (§2): people into vacancies with capacities and exclusions. The network engine's
// optimum is compared with HiGHS on the same instance in the same run. HiGHS's MILP does
// not finish on the full size in reasonable time, so its LP relaxation is the optimum
// yardstick there (assignment LPs have integral optima); a ladder of smaller sizes finds
// the largest one HiGHS's MILP solves within 60 s.
import { generatePlacement } from '../src/engines/assign/generate-instances.js';
import { buildHighsModel } from '../src/engines/assign/highs-model.js';
import { runHighs } from '../src/engines/assign/highs-client.js';
import { indexProblem } from '../src/engines/assign/index-problem.js';
import { solveAssignmentNetwork } from '../src/engines/assign/solve-assignment.js';
import type { AssignmentProblem, AssignmentResult } from '../src/engines/assign/types.js';
import { loadavg } from 'node:os';
import { median, reportResult, trackPeakRss } from './lib.js';

const num = (v: string | true | undefined, d: number): number => (typeof v === 'string' ? Number(v) : d);

/** Wall and CPU seconds per solve; CPU time is the fairer figure on a shared, loaded machine. */
function timeEngine(problem: AssignmentProblem, reps: number): { result: AssignmentResult; seconds: number[]; cpuSeconds: number[] } {
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  let result: AssignmentResult | null = null;
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = solveAssignmentNetwork(problem);
    seconds.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpuSeconds.push((c.user + c.system) / 1e6);
  }
  return { result: result!, seconds, cpuSeconds };
}

/** HiGHS minimises −value; its optimum as a value. */
async function highsOptimum(problem: AssignmentProblem, relax: boolean, limitSeconds: number) {
  const indexed = indexProblem(problem);
  const model = buildHighsModel(indexed.ip, [], { relax });
  const out = await runHighs(model, limitSeconds * 1000);
  return { ...out, value: out.hasSolution ? -out.objective : null };
}

const gapPct = (ours: number, best: number | null): number | null =>
  best === null ? null : Math.round(((100 * (best - ours)) / Math.abs(best)) * 1e9) / 1e9;

export default async function (flags: Record<string, string | true>): Promise<void> {
  const smoke = flags.smoke === true;
  const people = num(flags.people, smoke ? 150 : 2000);
  const vacancies = num(flags.vacancies, smoke ? 40 : 500);
  const seed = num(flags.seed, 1);
  const reps = num(flags.reps, smoke ? 2 : 5);
  const highsLimit = num(flags['highs-seconds'], smoke ? 60 : 900);
  const ladderLimit = num(flags['ladder-seconds'], 60);
  const runLadder = !smoke && flags['no-ladder'] !== true;
  const rss = trackPeakRss();

  const problem = generatePlacement({ people, vacancies, seed });
  const seats = problem.slots.reduce((a, s) => a + (s.capacity ?? 1), 0);
  console.log(
    `placement: ${people} people, ${vacancies} vacancies (${seats} seats), ${problem.candidates.length} pairs, ${problem.forbidden?.length ?? 0} excluded`,
  );
  const { result, seconds, cpuSeconds } = timeEngine(problem, reps);
  const ours = result.objective.combined;
  console.log(
    `network: wall ${seconds.map((s) => s.toFixed(3)).join(' ')} s, cpu ${cpuSeconds.map((s) => s.toFixed(3)).join(' ')} s; filled ${result.objective.filled}, score ${result.objective.score}, ${result.stats.pricingRounds} pricing rounds, ${result.stats.networkArcs} arcs`,
  );

  // Smoke sizes are small enough for HiGHS's MILP; the full size uses the LP relaxation.
  const relax = !smoke;
  const highs = await highsOptimum(problem, relax, highsLimit);
  const yardstick = relax ? 'LP relaxation' : 'MILP';
  if (highs.detail) console.log(`HiGHS detail: ${highs.detail}`);
  console.log(
    `HiGHS ${yardstick}: ${highs.status}, value ${highs.value}, run ${highs.runSeconds.toFixed(2)} s (wall ${highs.wallSeconds.toFixed(2)} s)`,
  );

  let largest: string | null = null;
  let largestRatio: number | null = null;
  let largestGap: number | null = null;
  if (runLadder) {
    for (const scale of [0.125, 0.25, 0.375, 0.5, 0.625, 0.75]) {
      const p = Math.round(people * scale);
      const v = Math.round(vacancies * scale);
      const inst = generatePlacement({ people: p, vacancies: v, seed });
      const mine = timeEngine(inst, 3);
      const h = await highsOptimum(inst, false, ladderLimit);
      const ok = h.status === 'optimal';
      console.log(
        `ladder ${p}x${v}: HiGHS MILP ${h.status} in ${h.runSeconds.toFixed(2)} s, network ${median(mine.seconds).toFixed(3)} s, equal optimum: ${h.value === mine.result.objective.combined}`,
      );
      if (!ok) break;
      largest = `${p}x${v}`;
      largestRatio = Math.round((h.runSeconds / median(mine.seconds)) * 10) / 10;
      largestGap = gapPct(mine.result.objective.combined, h.value);
    }
  }

  const sec = median(seconds);
  reportResult(
    {
      name: 'placement',
      metrics: {
        'placement.objective': ours,
        'placement.optimum': highs.value,
        'placement.gap_pct': gapPct(ours, highs.value),
        'placement.seconds': Math.round(sec * 1000) / 1000,
        'placement.seconds_min': Math.round(Math.min(...seconds) * 1000) / 1000,
        'placement.cpu_seconds': Math.round(median(cpuSeconds) * 1000) / 1000,
        'placement.load_avg_1m': Math.round(loadavg()[0]! * 10) / 10,
        'placement.highs_seconds': Math.round(highs.runSeconds * 100) / 100,
        'placement.highs_status': highs.status,
        'placement.highs_yardstick': yardstick,
        'placement.speedup': Math.round((highs.runSeconds / sec) * 10) / 10,
        'placement.highs_largest_60s': largest,
        'placement.highs_largest_60s_speedup': largestRatio,
        'placement.highs_largest_60s_gap_pct': largestGap,
        'placement.filled': result.objective.filled,
        'placement.score': result.objective.score,
        'placement.seats': seats,
        'placement.pairs': result.stats.candidates,
        'placement.pricing_rounds': result.stats.pricingRounds,
        'placement.network_arcs': result.stats.networkArcs,
        'placement.peak_rss_mib': rss.stop(),
      },
      baseline: {
        solver: `HiGHS ${yardstick} (WASM, one thread, worker)`,
        size: `${people}x${vacancies}`,
        'objective.note': 'combined integer objective = filled·W + score (lexicographic: fill first, then fit)',
      },
    },
    { write: !smoke },
  );
}
