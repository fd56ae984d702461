// Emergency mobilisation (§4): proposal latency on a 100,000-person roster and a 1,000-seat
// incident at 10 sites, and the gap to HiGHS's optimum on a size HiGHS solves, where
// HiGHS sees every eligible pair (no pruning) so the check covers pruning as well.
import { generateMobilisation } from '../src/engines/assign/generate-instances.js';
import { buildHighsModel } from '../src/engines/assign/highs-model.js';
import { runHighs } from '../src/engines/assign/highs-client.js';
import { indexProblem } from '../src/engines/assign/index-problem.js';
import { buildStaffingProblem, proposeStaffing } from '../src/engines/assign/propose-staffing.js';
import { loadavg } from 'node:os';
import { percentile, reportResult, trackPeakRss } from './lib.js';

const num = (v: string | true | undefined, d: number): number => (typeof v === 'string' ? Number(v) : d);

export default async function (flags: Record<string, string | true>): Promise<void> {
  const smoke = flags.smoke === true;
  const people = num(flags.people, smoke ? 5000 : 100_000);
  const roles = num(flags.roles, smoke ? 100 : 1000);
  const reps = num(flags.reps, smoke ? 3 : 10);
  const gapPeople = num(flags['gap-people'], smoke ? 600 : 3000);
  const gapRoles = num(flags['gap-roles'], smoke ? 30 : 150);
  const highsLimit = num(flags['highs-seconds'], 120);
  const rss = trackPeakRss();

  const { roster, incident } = generateMobilisation({ people, roles, seed: num(flags.seed, 7) });
  console.log(`mobilise: ${people} people, ${incident.roles.length} role types, ${roles} seats at ${incident.siteNames.length} sites`);
  const times: number[] = [];
  const cpu: number[] = [];
  let last = proposeStaffing(roster, incident); // warm-up (JIT), not counted
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = proposeStaffing(roster, incident);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  console.log(
    `proposal ms: wall ${times.map((t) => t.toFixed(0)).join(' ')}, cpu ${cpu.map((t) => t.toFixed(0)).join(' ')}; filled ${last.objective.filled}, levels ${JSON.stringify(last.objective.levels)}, score ${last.objective.score}; pairs ${last.pruning.eligiblePairs} → ${last.pruning.keptPairs}`,
  );

  // Gap on a HiGHS-sized instance: engine (pruned) vs HiGHS MILP on every eligible pair.
  const small = generateMobilisation({ people: gapPeople, roles: gapRoles, seed: num(flags.seed, 7) + 1 });
  const mine = proposeStaffing(small.roster, small.incident);
  const full = buildStaffingProblem(small.roster, small.incident, { pruning: 'none' });
  const indexed = indexProblem(full.problem);
  const highs = await runHighs(buildHighsModel(indexed.ip, []), highsLimit * 1000);
  const optimum = highs.hasSolution ? -highs.objective : null;
  // Weights follow each candidate set's ranges, so value the engine's (pruned) choice with
  // the full problem's weights before comparing.
  const chosen = new Set(mine.assignments.map((a) => `${a.personId}|${a.slotId}`));
  let mineValue = 0;
  for (let e = 0; e < indexed.ip.edgePerson.length; e++) {
    const c = full.problem.candidates[indexed.edgeCandidate[e]!]!;
    if (chosen.has(`${c.personId}|${c.slotId}`)) mineValue += indexed.ip.edgeValue[e]!;
  }
  const gap = optimum === null ? null : (100 * (optimum - mineValue)) / Math.abs(optimum);
  console.log(
    `gap instance ${gapPeople} people x ${gapRoles} seats: engine ${mineValue}, HiGHS MILP ${highs.status} ${optimum} in ${highs.runSeconds.toFixed(2)} s`,
  );

  reportResult(
    {
      name: 'mobilise',
      metrics: {
        'mobilise.p95_ms': Math.round(p95),
        'mobilise.median_ms': Math.round(percentile(times, 50)),
        'mobilise.cpu_p95_ms': Math.round(percentile(cpu, 95)),
        'mobilise.load_avg_1m': Math.round(loadavg()[0]! * 10) / 10,
        'mobilise.gap_pct': gap === null ? null : Math.round(gap * 1e9) / 1e9,
        'mobilise.gap_instance': `${gapPeople}x${gapRoles}`,
        'mobilise.highs_status': highs.status,
        'mobilise.highs_seconds': Math.round(highs.runSeconds * 100) / 100,
        'mobilise.engine_objective_gap_instance': mineValue,
        'mobilise.highs_optimum_gap_instance': optimum,
        'mobilise.filled': last.objective.filled,
        'mobilise.seats': roles,
        'mobilise.frontline': last.objective.levels.frontline ?? null,
        'mobilise.reserve': last.objective.levels.reserve ?? null,
        'mobilise.eligible_pairs': last.pruning.eligiblePairs,
        'mobilise.kept_pairs': last.pruning.keptPairs,
        'mobilise.reps': reps,
        'mobilise.peak_rss_mib': rss.stop(),
      },
      baseline: {
        solver: 'HiGHS MILP (WASM, one thread, worker) on all eligible pairs of the gap instance',
        p95_target_ms: 1000,
        gap_target_pct: 1,
      },
    },
    { write: !smoke },
  );
}
