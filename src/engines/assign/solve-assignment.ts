// Entry point: exact network solve; HiGHS MILP only when side constraints actually bind.

import { explainAssignment } from './explain.js';
import { runHighs, type HighsOutcome } from './highs-client.js';
import { buildHighsModel, type LinearRow } from './highs-model.js';
import { indexProblem, type IndexedAssignment } from './index-problem.js';
import { solveIndexedNetwork } from './solve-network.js';
import type { AssignmentOptions, AssignmentProblem, AssignmentResult, SideConstraintReport } from './types.js';

const DEFAULT_TIME_LIMIT_MS = 10_000;

/**
 * Solves the assignment exactly. Without side constraints (or when the network optimum
 * already satisfies them, which makes it optimal for the constrained model too) no
 * general solver runs. Otherwise HiGHS solves the MILP in a worker under `timeLimitMs`;
 * if it has no solution by then the network optimum is returned as `fallback`.
 */
export async function solveAssignment(problem: AssignmentProblem, options: AssignmentOptions = {}): Promise<AssignmentResult> {
  const indexed = indexProblem(problem);
  const t0 = performance.now();
  const net = solveIndexedNetwork(indexed.ip);
  const networkMs = performance.now() - t0;
  const sideRows = buildSideRows(problem, indexed);
  const notes: string[] = [];
  const stats: AssignmentResult['stats'] = {
    candidates: indexed.ip.edgePerson.length,
    networkArcs: net.networkArcs,
    pricingRounds: net.pricingRounds,
    networkMs,
  };
  const method = options.method ?? 'auto';
  const networkReports = reportSide(problem, sideRows, net.chosen);
  const needsMilp = method === 'milp' || (method === 'auto' && networkReports.some((r) => !r.satisfied));
  if (!needsMilp) {
    if (sideRows.length > 0 && networkReports.every((r) => r.satisfied))
      notes.push('the network optimum satisfies every side constraint, so it is optimal for the full model');
    if (method === 'network' && networkReports.some((r) => !r.satisfied))
      notes.push('side constraints ignored (method "network"): see sideConstraints for violations');
    return finish(problem, indexed, net.chosen, 'optimal', 'network', sideRows, networkReports, notes, stats);
  }

  const model = buildHighsModel(indexed.ip, sideRows);
  const outcome = await runHighs(model, options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS);
  stats.highsMs = outcome.wallSeconds * 1000;
  if (outcome.status === 'infeasible') {
    notes.push('HiGHS proved the side constraints infeasible; the network optimum (ignoring them) is shown');
    return finish(problem, indexed, net.chosen, 'infeasible', 'network', sideRows, networkReports, notes, stats);
  }
  if (outcome.hasSolution && outcome.colValue) {
    const chosen = roundSolution(outcome);
    const reports = reportSide(problem, sideRows, chosen);
    const status = outcome.status === 'optimal' ? 'optimal' : 'feasible';
    if (status === 'feasible')
      notes.push(
        `HiGHS stopped at its time limit with an incumbent${outcome.mipGap !== null ? ` (gap ${(outcome.mipGap * 100).toFixed(2)}%)` : ''}`,
      );
    return finish(problem, indexed, chosen, status, 'milp', sideRows, reports, notes, stats);
  }
  notes.push(
    `HiGHS found no solution (${outcome.detail ?? outcome.status}) within ${options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS} ms; ` +
      'returning the network optimum, which ignores the side constraints',
  );
  return finish(problem, indexed, net.chosen, 'fallback', 'network', sideRows, networkReports, notes, stats);
}

function roundSolution(outcome: HighsOutcome): Uint8Array {
  const x = outcome.colValue!;
  const chosen = new Uint8Array(x.length);
  for (let e = 0; e < x.length; e++) chosen[e] = x[e]! > 0.5 ? 1 : 0;
  return chosen;
}

/** Side constraints as rows over the indexed edges (shared by HiGHS and the reports). */
export function buildSideRows(problem: AssignmentProblem, indexed: IndexedAssignment): LinearRow[] {
  const { ip, edgeCandidate } = indexed;
  const E = ip.edgePerson.length;
  const edgeSlot = new Int32Array(E);
  for (let s = 0; s < ip.slotCount; s++) for (let e = ip.slotStart[s]!; e < ip.slotStart[s + 1]!; e++) edgeSlot[e] = s;
  return (problem.sideConstraints ?? []).map((sc) => {
    const edges: number[] = [];
    const coefs: number[] = [];
    if (sc.kind === 'budget') {
      for (let e = 0; e < E; e++) {
        const v = problem.candidates[edgeCandidate[e]!]!.resources?.[sc.resource] ?? 0;
        if (v !== 0) {
          edges.push(e);
          coefs.push(v);
        }
      }
      return { lower: -Infinity, upper: sc.limit, edges: Int32Array.from(edges), coefs: Float64Array.from(coefs) };
    }
    const people = sc.personIds ? new Set(sc.personIds.map((id) => indexed.personIndex.get(id))) : null;
    const slots = sc.slotIds ? new Set(sc.slotIds.map((id) => indexed.slotIndex.get(id))) : null;
    for (let e = 0; e < E; e++) {
      if (people && !people.has(ip.edgePerson[e]!)) continue;
      if (slots && !slots.has(edgeSlot[e]!)) continue;
      edges.push(e);
      coefs.push(1);
    }
    return {
      lower: sc.min ?? -Infinity,
      upper: sc.max ?? Infinity,
      edges: Int32Array.from(edges),
      coefs: Float64Array.from(coefs),
    };
  });
}

function reportSide(problem: AssignmentProblem, rows: LinearRow[], chosen: Uint8Array): SideConstraintReport[] {
  const tol = 1e-9;
  return (problem.sideConstraints ?? []).map((sc, k) => {
    const r = rows[k]!;
    let value = 0;
    for (let i = 0; i < r.edges.length; i++) if (chosen[r.edges[i]!] === 1) value += r.coefs[i]!;
    const min = Number.isFinite(r.lower) ? r.lower : undefined;
    const max = Number.isFinite(r.upper) ? r.upper : undefined;
    const satisfied = (min === undefined || value >= min - tol) && (max === undefined || value <= max + tol);
    const tight = (min !== undefined && Math.abs(value - min) <= tol) || (max !== undefined && Math.abs(value - max) <= tol);
    return {
      id: sc.id,
      kind: sc.kind,
      value,
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      satisfied,
      tight,
    };
  });
}

function finish(
  problem: AssignmentProblem,
  indexed: IndexedAssignment,
  chosen: Uint8Array,
  status: AssignmentResult['status'],
  method: AssignmentResult['method'],
  sideRows: LinearRow[],
  sideReports: SideConstraintReport[],
  notes: string[],
  stats: AssignmentResult['stats'],
): AssignmentResult {
  const explained = explainAssignment({
    problem,
    indexed,
    chosen,
    status,
    sideReports,
    sideEdges: sideRows.map((r) => ({ edges: r.edges, coefs: r.coefs })),
  });
  return {
    status,
    method,
    assignments: explained.assignments,
    objective: explained.objective,
    slots: explained.slots,
    sideConstraints: sideReports,
    notes,
    stats,
  };
}

/** Network-only solve, synchronous; side constraints are reported but not enforced. */
export function solveAssignmentNetwork(problem: AssignmentProblem): AssignmentResult {
  const indexed = indexProblem(problem);
  const t0 = performance.now();
  const net = solveIndexedNetwork(indexed.ip);
  const sideRows = buildSideRows(problem, indexed);
  const reports = reportSide(problem, sideRows, net.chosen);
  return finish(problem, indexed, net.chosen, 'optimal', 'network', sideRows, reports, [], {
    candidates: indexed.ip.edgePerson.length,
    networkArcs: net.networkArcs,
    pricingRounds: net.pricingRounds,
    networkMs: performance.now() - t0,
  });
}
