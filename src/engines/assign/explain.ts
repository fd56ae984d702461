// Per-slot explanations: who was placed and why (score parts and priority levels), and for
// every seat left empty the reason that binds, in the order a reviewer would check them.

import type { IndexedAssignment } from './index-problem.js';
import type {
  AssignedPerson,
  AssignmentObjective,
  AssignmentProblem,
  AssignmentResult,
  FunnelStage,
  SideConstraintReport,
  SlotExplanation,
  UnfilledReason,
} from './types.js';

export type ExplainInput = {
  problem: AssignmentProblem;
  indexed: IndexedAssignment;
  chosen: Uint8Array;
  status: AssignmentResult['status'];
  sideReports: SideConstraintReport[];
  /** Per side constraint (same order as problem.sideConstraints): edges it counts, with coefficients. */
  sideEdges: { edges: Int32Array; coefs: Float64Array }[];
};

export function explainAssignment(input: ExplainInput): {
  slots: SlotExplanation[];
  objective: AssignmentObjective;
  assignments: AssignmentResult['assignments'];
} {
  const { problem, indexed, chosen } = input;
  const { ip, edgeCandidate } = indexed;
  const priorities = problem.priorities ?? [];
  const used = new Int32Array(ip.personCount);
  const slotsOf = new Map<number, number[]>();
  for (let s = 0; s < ip.slotCount; s++)
    for (let e = ip.slotStart[s]!; e < ip.slotStart[s + 1]!; e++)
      if (chosen[e] === 1) {
        const p = ip.edgePerson[e]!;
        used[p]!++;
        const list = slotsOf.get(p);
        if (list) list.push(s);
        else slotsOf.set(p, [s]);
      }

  const levelTotals: Record<string, number> = {};
  for (const name of priorities) levelTotals[name] = 0;
  let score = 0;
  let filled = 0;
  let combined = 0;
  const assignments: AssignmentResult['assignments'] = [];
  const slots: SlotExplanation[] = [];

  // Edges each side constraint counts, to name the one that blocks a free candidate.
  const sideOfEdge = new Map<number, number[]>();
  input.sideEdges.forEach((r, k) => {
    for (let i = 0; i < r.edges.length; i++) {
      const e = r.edges[i]!;
      const list = sideOfEdge.get(e);
      if (list) list.push(k);
      else sideOfEdge.set(e, [k]);
    }
  });

  for (let s = 0; s < ip.slotCount; s++) {
    const slot = problem.slots[s]!;
    const lo = ip.slotStart[s]!;
    const hi = ip.slotStart[s + 1]!;
    const assigned: AssignedPerson[] = [];
    let bestOther = -1;
    for (let e = lo; e < hi; e++) {
      if (chosen[e] === 1) {
        const c = problem.candidates[edgeCandidate[e]!]!;
        const levels: Record<string, number> = {};
        priorities.forEach((name, k) => {
          const v = c.levels?.[k] ?? 0;
          levels[name] = v;
          levelTotals[name] = levelTotals[name]! + v;
        });
        assigned.push({ personId: c.personId, score: c.score, parts: c.parts ?? [{ name: 'score', value: c.score }], levels });
        assignments.push({ personId: c.personId, slotId: slot.id, score: c.score });
        score += c.score;
        filled++;
        combined += ip.edgeValue[e]!;
      } else if (bestOther === -1 || isBetter(ip, e, bestOther)) bestOther = e;
    }
    assigned.sort((a, b) => b.score - a.score || (a.personId < b.personId ? -1 : 1));
    const capacity = ip.slotCap[s]!;
    const exp: SlotExplanation = { slotId: slot.id, capacity, filled: assigned.length, assigned };
    if (bestOther !== -1) {
      const c = problem.candidates[edgeCandidate[bestOther]!]!;
      const p = ip.edgePerson[bestOther]!;
      exp.nextBest = {
        personId: c.personId,
        score: c.score,
        assignedTo: (slotsOf.get(p) ?? []).map((x) => problem.slots[x]!.id),
      };
    }
    if (assigned.length < capacity) exp.unfilled = explainShortfall(input, s, used, slotsOf, sideOfEdge);
    slots.push(exp);
  }
  return { slots, objective: { filled, levels: levelTotals, score, combined }, assignments };
}

function isBetter(ip: IndexedAssignment['ip'], a: number, b: number): boolean {
  const va = ip.edgeValue[a]!;
  const vb = ip.edgeValue[b]!;
  return va > vb || (va === vb && ip.edgePerson[a]! < ip.edgePerson[b]!);
}

function bindingStage(funnel: readonly FunnelStage[] | undefined, needed: number): FunnelStage | undefined {
  return funnel?.find((st) => st.remaining < needed);
}

function explainShortfall(
  input: ExplainInput,
  s: number,
  used: Int32Array,
  slotsOf: Map<number, number[]>,
  sideOfEdge: Map<number, number[]>,
): UnfilledReason {
  const { problem, indexed, chosen, status } = input;
  const { ip } = indexed;
  const slot = problem.slots[s]!;
  const capacity = ip.slotCap[s]!;
  const lo = ip.slotStart[s]!;
  const hi = ip.slotStart[s + 1]!;
  const eligible = hi - lo;
  const listed = indexed.listed[s]!;
  const missing = capacity - countChosen(chosen, lo, hi);
  if (listed === 0) {
    const stage = bindingStage(slot.funnel, 1);
    return {
      code: 'no-candidates',
      message: stage ? `nobody left after "${stage.label ?? stage.reason}"` : 'no candidate was proposed for this slot',
      ...(stage ? { stage } : {}),
      candidates: 0,
    };
  }
  if (eligible === 0)
    return {
      code: 'all-forbidden',
      message: `all ${listed} candidates are excluded by forbidden pairs`,
      candidates: 0,
    };
  const free: number[] = [];
  const taken: number[] = [];
  for (let e = lo; e < hi; e++) {
    if (chosen[e] === 1) continue;
    const p = ip.edgePerson[e]!;
    if (used[p]! < ip.personCap[p]!) free.push(e);
    else taken.push(e);
  }
  if (free.length === 0) {
    if (taken.length === 0) {
      const stage = bindingStage(slot.funnel, capacity);
      return {
        code: 'too-few-candidates',
        message: `only ${eligible} eligible candidate(s) for ${capacity} seat(s), all placed here${
          stage ? `; "${stage.label ?? stage.reason}" leaves ${stage.remaining}` : ''
        }`,
        ...(stage ? { stage } : {}),
        candidates: eligible,
      };
    }
    taken.sort((a, b) => (isBetter(ip, a, b) ? -1 : 1));
    const takenBy = taken.slice(0, 5).flatMap((e) => {
      const p = ip.edgePerson[e]!;
      return (slotsOf.get(p) ?? []).map((x) => ({ personId: problem.people[p]!.id, slotId: problem.slots[x]!.id }));
    });
    const multi = taken.some((e) => ip.personCap[ip.edgePerson[e]!]! > 1);
    return {
      code: multi ? 'person-limit' : 'taken-elsewhere',
      message: multi
        ? `the ${taken.length} other candidate(s) have reached their limit of slots`
        : `the ${taken.length} other candidate(s) are placed where the objective needs them more`,
      takenBy,
      candidates: eligible,
    };
  }
  if (status === 'feasible' || status === 'fallback')
    return {
      code: 'solver-limit',
      message: `${free.length} free candidate(s) left: the solver stopped at its time limit`,
      candidates: eligible,
    };
  // A free candidate is blocked by a side constraint that is tight in the blocking direction.
  for (const e of free) {
    for (const k of sideOfEdge.get(e) ?? []) {
      const rep = input.sideReports[k]!;
      const coef = coefOf(input.sideEdges[k]!, e);
      if (rep.max !== undefined && coef > 0 && rep.value + coef > rep.max + 1e-9) {
        const sc = problem.sideConstraints![k]!;
        return {
          code: 'side-constraint',
          message: `"${sc.label ?? sc.id}" is at its limit (${rep.value} of ${rep.max})`,
          constraintId: sc.id,
          candidates: eligible,
        };
      }
    }
  }
  if (!ip.fillFirst)
    return {
      code: 'not-worth-filling',
      message: `${free.length} free candidate(s) would lower the objective (non-positive value); ${missing} seat(s) left open`,
      candidates: eligible,
    };
  const tight = input.sideReports.find((r) => r.tight);
  return {
    code: 'side-constraint',
    message: tight ? `side constraint "${tight.id}" is binding` : 'side constraints leave no better choice',
    ...(tight ? { constraintId: tight.id } : {}),
    candidates: eligible,
  };
}

function countChosen(chosen: Uint8Array, lo: number, hi: number): number {
  let n = 0;
  for (let e = lo; e < hi; e++) n += chosen[e]!;
  return n;
}

function coefOf(r: { edges: Int32Array; coefs: Float64Array }, e: number): number {
  for (let i = 0; i < r.edges.length; i++) if (r.edges[i] === e) return r.coefs[i]!;
  return 0;
}
