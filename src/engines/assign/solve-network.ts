// Exact assignment on the transportation network source → person → slot → sink,
// solved on a pruned candidate set and certified against the full one by LP duality.
//
// Pruning: each slot starts with its best few candidates only. After the min-cost flow,
// the potentials π prove optimality over the pruned network. They prove it over the full
// candidate set too if every left-out pair (p, s) has reduced cost −value + π̂(p) − π(s) ≥ 0,
// where π̂(p) = max(π(p), π(source)) for people in the network and π(source) for absent
// ones. (A person with spare capacity can have π(p) raised to π(source) without breaking
// any residual arc: their only incoming residual arc is source → p.) Slots whose left-out
// pairs fail the test get their best-K doubled and the network is solved again, so the
// answer is always the optimum of the unpruned problem, with a certificate, never a guess.

import { addArc, createFlowNetwork, flowOn, runMinCostFlow } from './min-cost-flow.js';

/** Candidates grouped per slot (CSR) in typed arrays; `value` is the combined integer objective. */
export type IndexedProblem = {
  personCount: number;
  slotCount: number;
  personCap: Int32Array;
  slotCap: Int32Array;
  /** Edges of slot s are [slotStart[s], slotStart[s+1]). */
  slotStart: Int32Array;
  edgePerson: Int32Array;
  edgeValue: Float64Array;
  /** Fill-first problems have weights that make every augmenting path profitable. */
  fillFirst: boolean;
};

export type NetworkSolution = {
  /** 1 for chosen edges (indices into the CSR arrays). */
  chosen: Uint8Array;
  objective: number;
  pricingRounds: number;
  networkArcs: number;
  augmentations: number;
};

export type NetworkOptions = {
  /** Initial candidates per slot beyond its capacity (default 2·capacity + 8). */
  initialExtra?: (capacity: number) => number;
  /** Skip pruning (tests use this to cross-check the certificate). */
  noPruning?: boolean;
};

export function solveIndexedNetwork(ip: IndexedProblem, opts: NetworkOptions = {}): NetworkSolution {
  const { slotCount, slotStart, edgePerson, edgeValue } = ip;
  const edgeCount = edgePerson.length;
  // Per slot, edge order best-first (value desc, person asc for determinism), selected lazily.
  const order = new Int32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) order[e] = e;
  const keep = new Int32Array(slotCount);
  const sortedUpTo = new Int32Array(slotCount);
  const extra = opts.initialExtra ?? ((c: number) => 2 * c + 8);
  for (let s = 0; s < slotCount; s++) {
    const deg = slotStart[s + 1]! - slotStart[s]!;
    keep[s] = opts.noPruning ? deg : Math.min(deg, ip.slotCap[s]! + extra(ip.slotCap[s]!));
  }
  const forced = new Uint8Array(edgeCount);
  let rounds = 0;
  for (;;) {
    rounds++;
    for (let s = 0; s < slotCount; s++) {
      const lo = slotStart[s]!;
      const hi = slotStart[s + 1]!;
      if (keep[s]! > sortedUpTo[s]! && keep[s]! < hi - lo) {
        selectBest(order, lo, hi, lo + keep[s]!, edgePerson, edgeValue);
        sortedUpTo[s] = keep[s]!;
      }
    }
    const included = new Uint8Array(edgeCount);
    for (let s = 0; s < slotCount; s++) {
      const lo = slotStart[s]!;
      for (let i = lo; i < lo + keep[s]!; i++) included[order[i]!] = 1;
    }
    for (let e = 0; e < edgeCount; e++) if (forced[e] === 1) included[e] = 1;

    const built = buildNetwork(ip, included);
    const run = runMinCostFlow(built.net, built.source, built.sink, { stopAtCost: 0 });
    const pot = built.net.potential;
    // When the sink is cut off, lower the reachable side so π(sink) − π(source) ≥ 0:
    // arcs leaving that side have no residual capacity, so reduced costs stay ≥ 0.
    let shiftReachable = 0;
    if (!run.sinkReachable) {
      const gap = pot[built.sink]! - pot[built.source]!;
      if (gap < 0) shiftReachable = gap;
    }
    const potOf = (node: number): number =>
      pot[node]! + (shiftReachable !== 0 && run.settled[node] === 1 ? shiftReachable : 0);
    const piSource = potOf(built.source);
    let violations = 0;
    for (let s = 0; s < slotCount; s++) {
      const lo = slotStart[s]!;
      const hi = slotStart[s + 1]!;
      if (keep[s]! >= hi - lo) continue;
      const piSlot = potOf(built.slotNode(s));
      let slotViolations = 0;
      for (let e = lo; e < hi; e++) {
        if (included[e] === 1) continue;
        const reduced = -edgeValue[e]! + piSource - piSlot;
        if (reduced >= 0) continue;
        const pn = built.personNode[edgePerson[e]!]!;
        const piPerson = pn >= 0 ? Math.max(potOf(pn), piSource) : piSource;
        if (-edgeValue[e]! + piPerson - piSlot < 0) {
          forced[e] = 1;
          slotViolations++;
        }
      }
      if (slotViolations > 0) {
        violations += slotViolations;
        keep[s] = Math.min(hi - lo, keep[s]! * 2 + slotViolations);
      }
    }
    if (violations === 0) {
      const chosen = new Uint8Array(edgeCount);
      let objective = 0;
      for (let i = 0; i < built.arcEdge.length; i++) {
        if (flowOn(built.net, built.arcOf[i]!) > 0) {
          const e = built.arcEdge[i]!;
          chosen[e] = 1;
          objective += edgeValue[e]!;
        }
      }
      return {
        chosen,
        objective,
        pricingRounds: rounds,
        networkArcs: built.net.arcCount / 2,
        augmentations: run.augmentations,
      };
    }
  }
}

type BuiltNetwork = {
  net: ReturnType<typeof createFlowNetwork>;
  source: number;
  sink: number;
  personNode: Int32Array;
  slotNode: (s: number) => number;
  arcOf: Int32Array;
  arcEdge: Int32Array;
};

function buildNetwork(ip: IndexedProblem, included: Uint8Array): BuiltNetwork {
  const { personCount, slotCount, slotStart, edgePerson, edgeValue } = ip;
  const personNode = new Int32Array(personCount).fill(-1);
  let includedCount = 0;
  let nodes = 2 + slotCount;
  for (let e = 0; e < included.length; e++) {
    if (included[e] !== 1) continue;
    includedCount++;
    const p = edgePerson[e]!;
    if (personNode[p] === -1) personNode[p] = nodes++;
  }
  const source = 0;
  const sink = 1;
  const net = createFlowNetwork(nodes, includedCount + nodes);
  // People first in ascending index so arc order (and so tie-breaking) is deterministic.
  for (let p = 0; p < personCount; p++) {
    const node = personNode[p]!;
    if (node >= 0) addArc(net, source, node, ip.personCap[p]!, 0);
  }
  const arcOf = new Int32Array(includedCount);
  const arcEdge = new Int32Array(includedCount);
  let k = 0;
  for (let s = 0; s < slotCount; s++) {
    const sn = 2 + s;
    for (let e = slotStart[s]!; e < slotStart[s + 1]!; e++) {
      if (included[e] !== 1) continue;
      arcOf[k] = addArc(net, personNode[edgePerson[e]!]!, sn, 1, -edgeValue[e]!);
      arcEdge[k++] = e;
    }
    if (ip.slotCap[s]! > 0) addArc(net, sn, sink, ip.slotCap[s]!, 0);
  }
  return { net, source, sink, personNode, slotNode: (s) => 2 + s, arcOf, arcEdge };
}

/**
 * Rearranges order[lo..hi) so its first (k − lo) entries are the best edges in sorted order
 * (value desc, person asc). Quickselect then a sort of the small head keeps it O(n + k log k).
 */
function selectBest(
  order: Int32Array,
  lo: number,
  hi: number,
  k: number,
  person: Int32Array,
  value: Float64Array,
): void {
  const better = (a: number, b: number): boolean =>
    value[a]! > value[b]! || (value[a]! === value[b]! && person[a]! < person[b]!);
  let l = lo;
  let r = hi - 1;
  while (l < r) {
    const mid = (l + r) >> 1;
    // median of three as pivot, deterministic
    const a = order[l]!;
    const b = order[mid]!;
    const c = order[r]!;
    let pivot = b;
    if (better(a, b) !== better(a, c)) pivot = a;
    else if (better(b, a) !== better(b, c)) pivot = b;
    else pivot = c;
    let i = l;
    let j = r;
    while (i <= j) {
      while (better(order[i]!, pivot)) i++;
      while (better(pivot, order[j]!)) j--;
      if (i <= j) {
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
        i++;
        j--;
      }
    }
    if (k - 1 <= j) r = j;
    else if (k - 1 >= i) l = i;
    else break;
  }
  const head = Array.from(order.subarray(lo, k));
  head.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  order.set(head, lo);
}
