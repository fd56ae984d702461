// Eligibility: the compiled CEL rules engine over a streamed population × 10 policies, against
// json-rules-engine running the same clauses (converted from the same policy definitions) on a
// deterministic evenly spaced sample, with every sampled decision and clause outcome cross-checked.
// The cel-js interpreter runs the same sample as a second reference.
import { performance } from 'node:perf_hooks';
import { reportResult, trackPeakRss } from './lib.js';
import { benchEvaluationDate, benchFactSchema, benchPolicies } from '../src/engines/rules/bench-policies.js';
import { generateApplicant, generateApplicants } from '../src/engines/rules/generate-applicants.js';
import { createJsonRulesEngineForPlan, decideAllWithJsonRules } from '../src/engines/rules/to-json-rules.js';
import { compilePolicies, evaluateBatch, evaluateWithReference, planEvaluation, readDecision } from '../src/engines/rules/index.js';
import type { BatchEvaluation } from '../src/engines/rules/index.js';

const seed = 20250901;
const missingRate = 0.01;

function intFlag(flags: Record<string, string | true>, name: string, fallback: number): number {
  const v = flags[name];
  if (v === undefined || v === true) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
}

const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

export default async function (flags: Record<string, string | true>): Promise<void> {
  const smoke = flags.smoke === true;
  const applicants = intFlag(flags, 'applicants', smoke ? 2_000 : 1_000_000);
  const sampleSize = Math.min(applicants, intFlag(flags, 'sample', smoke ? 500 : 20_000));
  const batchSize = intFlag(flags, 'batch', 10_000);
  const population = { seed, missingRate };

  const compileStart = performance.now();
  const set = compilePolicies(benchFactSchema, benchPolicies());
  const plan = planEvaluation(set, benchEvaluationDate);
  const compileMs = performance.now() - compileStart;
  const policies = plan.policies.length;
  const clauseCounts = plan.policies.map((p) => p.version.clauses.length);

  // Evenly spaced sample indices: deterministic and spread over the whole population.
  const sampleIndex = new Map<number, number>();
  for (let k = 0; k < sampleSize; k++) sampleIndex.set(Math.floor((k * applicants) / sampleSize), k);
  const sampled = [...sampleIndex.keys()];
  const engineDecisions = new Uint8Array(sampled.length * policies);
  const engineOutcomes = new Uint8Array(sampled.length * plan.clausesPerApplicant);

  // --- engine over the full population, streamed in batches with recycled buffers ---
  const rss = trackPeakRss();
  const tally = [0, 0, 0];
  let traceEntries = 0;
  let engineMs = 0;
  let batch: BatchEvaluation | undefined;
  const wallStart = performance.now();
  for (let start = 0; start < applicants; start += batchSize) {
    const count = Math.min(batchSize, applicants - start);
    const people = generateApplicants(start, count, population);
    const t0 = performance.now();
    batch = evaluateBatch(plan, people, batch);
    engineMs += performance.now() - t0;
    for (let i = 0; i < count * policies; i++) tally[batch.decisions[i]!]!++;
    traceEntries += count * plan.clausesPerApplicant;
    for (let i = 0; i < count; i++) {
      const k = sampleIndex.get(start + i);
      if (k === undefined) continue;
      engineDecisions.set(batch.decisions.subarray(i * policies, (i + 1) * policies), k * policies);
      engineOutcomes.set(
        batch.outcomes.subarray(i * plan.clausesPerApplicant, (i + 1) * plan.clausesPerApplicant),
        k * plan.clausesPerApplicant,
      );
    }
  }
  const engineWallMs = performance.now() - wallStart;
  const peakRssMb = rss.stop();
  const engineDecisionsTotal = applicants * policies;
  const engineRate = engineDecisionsTotal / (engineMs / 1000);

  // Object traces (what an API response or audit record holds) for the sample, timed separately.
  const sampleApplicants = sampled.map((i) => generateApplicant(i, population));
  const objectStart = performance.now();
  const sampleBatch = evaluateBatch(plan, sampleApplicants);
  let objectClauses = 0;
  for (let i = 0; i < sampleApplicants.length; i++)
    for (let p = 0; p < policies; p++) objectClauses += readDecision(sampleBatch, i, p).clauses.length;
  const objectMs = performance.now() - objectStart;

  // --- json-rules-engine on the sample: one engine with every policy's rules, one run per applicant ---
  const jre = createJsonRulesEngineForPlan(plan.policies);
  let baselineDecisionAgree = 0;
  let baselineOutcomeAgree = 0;
  let baselineOutcomes = 0;
  const mismatches: string[] = [];
  const baseStart = performance.now();
  const baseline: { decision: number; outcomes: number[] }[] = [];
  for (const a of sampleApplicants) baseline.push(...(await decideAllWithJsonRules(jre, plan.policies, a.facts)));
  const baseMs = performance.now() - baseStart;
  baseline.forEach((b, j) => {
    const k = Math.floor(j / policies);
    const p = j % policies;
    if (engineDecisions[k * policies + p] === b.decision) baselineDecisionAgree++;
    else if (mismatches.length < 5) mismatches.push(`${sampleApplicants[k]!.id}/${plan.policies[p]!.policy.id}`);
    const off = k * plan.clausesPerApplicant + plan.clauseOffsets[p]!;
    b.outcomes.forEach((o, c) => {
      baselineOutcomes++;
      if (engineOutcomes[off + c] === o) baselineOutcomeAgree++;
    });
  });
  const baselineRate = baseline.length / (baseMs / 1000);

  // --- cel-js interpreter on the sample ---
  let celAgree = 0;
  const celStart = performance.now();
  const cel: number[] = [];
  for (const a of sampleApplicants) for (const p of plan.policies) cel.push(evaluateWithReference(p, a.facts).decision);
  const celMs = performance.now() - celStart;
  cel.forEach((d, j) => {
    if (engineDecisions[j] === d) celAgree++;
  });
  const celRate = cel.length / (celMs / 1000);

  const agree = baselineDecisionAgree === baseline.length && baselineOutcomeAgree === baselineOutcomes && celAgree === cel.length;
  if (!agree) console.error(`DISAGREEMENT: ${mismatches.join(', ')}`);
  console.error(
    `engine: ${applicants} applicants × ${policies} policies (${clauseCounts.join('/')} clauses) in ${round(engineMs)} ms ` +
      `→ ${round(engineRate)} decisions/s; json-rules-engine on ${sampleApplicants.length}: ${round(baselineRate)} decisions/s`,
  );

  reportResult(
    {
      name: 'eligibility',
      metrics: {
        mode: smoke ? 'smoke' : 'full',
        evaluation_date: benchEvaluationDate,
        policies,
        clauses_per_policy: clauseCounts.join('/'),
        compile_ms: round(compileMs, 1),
        'engine.applicants': applicants,
        'engine.decisions': engineDecisionsTotal,
        'engine.clause_traces': traceEntries,
        'engine.eligible': tally[0]!,
        'engine.ineligible': tally[1]!,
        'engine.needs_review': tally[2]!,
        'engine.evaluate_ms': round(engineMs),
        'engine.wall_ms_incl_generation': round(engineWallMs),
        'engine.decisions_per_s': round(engineRate),
        'engine.peak_rss_mb': peakRssMb,
        'engine.batch_size': batchSize,
        'engine.object_trace_decisions_per_s': round((sampleApplicants.length * policies) / (objectMs / 1000)),
        'engine.object_trace_clauses': objectClauses,
        'celjs.decisions_per_s': round(celRate),
        'celjs.decisions_agree': celAgree,
        speedup: round(engineRate / baselineRate, 1),
        'agreement.sample_applicants': sampleApplicants.length,
        'agreement.decisions_compared': baseline.length,
        'agreement.decisions_agree': baselineDecisionAgree,
        'agreement.clause_outcomes_compared': baselineOutcomes,
        'agreement.clause_outcomes_agree': baselineOutcomeAgree,
        'agreement.all': agree ? 'yes' : 'no',
      },
      baseline: {
        engine: 'json-rules-engine 7: same clauses converted, one rule per clause, all policies in one engine',
        sample: `every ${round(applicants / sampleApplicants.length, 2)}th applicant`,
        'baseline.applicants': sampleApplicants.length,
        'baseline.decisions': baseline.length,
        'baseline.elapsed_ms': round(baseMs),
        'baseline.decisions_per_s': round(baselineRate),
      },
    },
    { write: !smoke },
  );
  if (!agree) process.exitCode = 1;
}
