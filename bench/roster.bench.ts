// Generated Muster roster (500 staff, 28 days, 3 shifts, 6 skills, cover from a seeded hourly
// passenger curve): time to the first roster without hard violations, and the 60 s result.
import { reportResult, trackPeakRss } from './lib.js';
import { evaluateRoster, solveRoster, defaultThreads } from '../src/engines/roster/index.js';
import { generateRosterInstance } from '../src/engines/roster/instance-generator.js';

export default async function (flags: Record<string, string | true>): Promise<void> {
  const smoke = flags.smoke === true;
  const num = (k: string, d: number): number => (typeof flags[k] === 'string' ? Number(flags[k]) : d);
  const staff = num('staff', smoke ? 60 : 500);
  const days = num('days', smoke ? 14 : 28);
  const skills = num('skills', 6);
  const seconds = num('seconds', smoke ? 2 : 60);
  const seed = num('seed', 1);
  const threads = num('threads', defaultThreads());
  const instance = generateRosterInstance({ seed, staff, days, skills });
  const rss = trackPeakRss();
  const res = await solveRoster(instance, { timeLimitMs: seconds * 1000, threads, seed });
  const peak = rss.stop();
  const check = evaluateRoster(instance, res.roster);
  const byKind: Record<string, number> = {};
  for (const v of res.violations) byKind[v.constraint] = (byKind[v.constraint] ?? 0) + v.penalty;
  console.log(`roster: ${staff} staff × ${days} days × 3 shifts × ${skills} skills, ${seconds} s, ${threads} thread(s)`);
  console.log('penalty by constraint:', JSON.stringify(byKind));
  reportResult(
    {
      name: 'roster',
      metrics: {
        'roster.first_feasible_s': res.firstFeasibleSeconds === null ? null : Math.round(res.firstFeasibleSeconds * 1000) / 1000,
        'roster.hard': res.score.hard,
        'roster.soft': res.score.soft,
        'roster.evaluator_agrees': check.hard === res.score.hard && check.soft === res.score.soft ? 1 : 0,
        'roster.iterations': res.iterations,
        'roster.peak_rss_mib': peak,
        staff,
        days,
        skills,
        seconds,
        threads,
      },
      baseline: { 'roster.first_feasible_s': 5 },
    },
    { write: !smoke },
  );
}
