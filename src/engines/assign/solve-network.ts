// Exact assignment as a transportation problem: every slot supplies its seats, each seat
// flows to a person (value v, cost −v) or down a "leave empty" arc (value 0) to the sink,
// and each person passes at most their capacity on to the sink. Routing all supply at
// minimum cost is the optimum; the empty arcs keep it always feasible.
//
// Pruning: each slot starts with its best few candidates and each person with their best
// few slots. After routing, the potentials π prove optimality over the pruned network, and
// over the full candidate set too if every left-out pair has reduced cost
// −v + π(slot) − π̂(person) ≥ 0, with π̂(p) = min(π(p), π(sink)) for people in the network
// and π(sink) for absent ones. (A person with spare capacity may have π(p) lowered to
// π(sink): their only outgoing residual arc is p → sink.) Slots with failing pairs get the
// most negative ones added; their flow is released (they are pure supply nodes, so raising
// their potential keeps the certificate) and re-routed. The answer is always the optimum
// of the unpruned problem, with a certificate, never a guess.

import { addArc, createFlowNetwork, flowOn, releaseNode, routeSupplies, type FlowNetwork } from './min-cost-flow.js';

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
  /**
   * Each person's best slots kept from the start (default 3). Without them, strong people
   * head every slot's list, get used up, and the pruned network strands the seats.
   */
  perPerson?: number;
  /** Skip pruning (tests use this to cross-check the certificate). */
  noPruning?: boolean;
};

export function solveIndexedNetwork(ip: IndexedProblem, opts: NetworkOptions = {}): NetworkSolution {
  const { slotCount, slotStart, edgePerson, edgeValue } = ip;
  const edgeCount = edgePerson.length;
  const order = new Int32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) order[e] = e;
  const included = new Uint8Array(edgeCount);
  const extra = opts.initialExtra ?? ((c: number) => 2 * c + 8);
  for (let s = 0; s < slotCount; s++) {
    const lo = slotStart[s]!;
    const hi = slotStart[s + 1]!;
    const keep = opts.noPruning ? hi - lo : Math.min(hi - lo, ip.slotCap[s]! + extra(ip.slotCap[s]!));
    if (keep < hi - lo) selectBest(order, lo, hi, lo + keep, edgePerson, edgeValue);
    for (let i = lo; i < lo + keep; i++) included[order[i]!] = 1;
  }
  if (!opts.noPruning) {
    const best = markPersonBest(ip, opts.perPerson ?? 3, included);
    // Strong people head every slot's list and are soon used up; also seed each slot with
    // the people for whom it is comparatively good (value − their best value).
    const regret = new Float64Array(edgeCount);
    for (let e = 0; e < edgeCount; e++) regret[e] = edgeValue[e]! - best[edgePerson[e]!]!;
    const order2 = new Int32Array(edgeCount);
    for (let e = 0; e < edgeCount; e++) order2[e] = e;
    for (let s = 0; s < slotCount; s++) {
      const lo = slotStart[s]!;
      const hi = slotStart[s + 1]!;
      const keep = Math.min(hi - lo, ip.slotCap[s]! + extra(ip.slotCap[s]!));
      if (keep < hi - lo) selectBest(order2, lo, hi, lo + keep, edgePerson, regret);
      for (let i = lo; i < lo + keep; i++) included[order2[i]!] = 1;
    }
  }

  const g = buildNetwork(ip, included);
  // Slot-side prices: people and sink at 0, each slot at its best value (or 0 = leave
  // empty). Every arc then has reduced cost ≥ 0, and a search from a slot reaches its best
  // free candidate at once; people are the abundant side, so most searches end there.
  const pot0 = g.net.potential;
  for (let s = 0; s < slotCount; s++) {
    let best = 0;
    for (let e = slotStart[s]!; e < slotStart[s + 1]!; e++) if (included[e] === 1 && edgeValue[e]! > best) best = edgeValue[e]!;
    pot0[slotNode(s)] = best;
  }
  let augmentations = routeSupplies(g.net).augmentations;
  const pot = g.net.potential;
  let rounds = 1;
  for (; ; rounds++) {
    const piSink = pot[SINK]!;
    let violations = 0;
    const released: number[] = [];
    for (let s = 0; s < slotCount; s++) {
      const lo = slotStart[s]!;
      const hi = slotStart[s + 1]!;
      const piSlot = pot[slotNode(s)]!;
      const violators: number[] = [];
      const violation: number[] = [];
      for (let e = lo; e < hi; e++) {
        if (included[e] === 1) continue;
        // π̂(p) ≤ π(sink), so this bound clears most pairs without looking at the person.
        if (-edgeValue[e]! + piSlot - piSink >= 0) continue;
        const pn = personNode(slotCount, edgePerson[e]!);
        const piPerson = g.present[edgePerson[e]!] === 1 ? Math.min(pot[pn]!, piSink) : piSink;
        const r = -edgeValue[e]! + piSlot - piPerson;
        if (r < 0) {
          violators.push(e);
          violation.push(r);
        }
      }
      if (violators.length === 0) continue;
      violations += violators.length;
      // Column generation: bring in the most negative pairs; the next round prices again.
      const emptySeats = flowOn(g.net, g.emptyArc[s]!);
      const take = Math.min(violators.length, 2 * ip.slotCap[s]! + 4 + 4 * emptySeats);
      const idx = violators.map((_, i) => i).sort((a, b) => violation[a]! - violation[b]! || violators[a]! - violators[b]!);
      for (let i = 0; i < take; i++) {
        const e = violators[idx[i]!]!;
        included[e] = 1;
        addEdge(g, ip, s, e);
      }
      released.push(s);
    }
    if (violations === 0) break;
    for (const s of released) releaseNode(g.net, slotNode(s));
    augmentations += routeSupplies(g.net).augmentations;
  }
  const chosen = new Uint8Array(edgeCount);
  let objective = 0;
  for (let i = 0; i < g.arcCount; i++) {
    if (flowOn(g.net, g.arcOf[i]!) > 0) {
      const e = g.arcEdge[i]!;
      chosen[e] = 1;
      objective += edgeValue[e]!;
    }
  }
  return { chosen, objective, pricingRounds: rounds, networkArcs: g.net.arcCount / 2, augmentations };
}

const SINK = 0;
const slotNode = (s: number): number => 1 + s;
const personNode = (slotCount: number, p: number): number => 1 + slotCount + p;

type Graph = {
  net: FlowNetwork;
  present: Uint8Array;
  arcOf: Int32Array;
  arcEdge: Int32Array;
  arcCount: number;
  emptyArc: Int32Array;
};

function addEdge(g: Graph, ip: IndexedProblem, s: number, e: number): void {
  const p = ip.edgePerson[e]!;
  const pn = personNode(ip.slotCount, p);
  if (g.present[p] === 0) {
    g.present[p] = 1;
    addArc(g.net, pn, SINK, ip.personCap[p]!, 0);
    // Its only residual arc so far leads to the sink at reduced cost 0.
    g.net.potential[pn] = g.net.potential[SINK]!;
  }
  if (g.arcCount === g.arcOf.length) {
    const a = new Int32Array(g.arcOf.length * 2 + 16);
    a.set(g.arcOf);
    g.arcOf = a;
    const b = new Int32Array(g.arcEdge.length * 2 + 16);
    b.set(g.arcEdge);
    g.arcEdge = b;
  }
  g.arcOf[g.arcCount] = addArc(g.net, slotNode(s), pn, 1, -ip.edgeValue[e]!);
  g.arcEdge[g.arcCount++] = e;
}

function buildNetwork(ip: IndexedProblem, included: Uint8Array): Graph {
  const { personCount, slotCount, slotStart } = ip;
  let includedCount = 0;
  for (let e = 0; e < included.length; e++) includedCount += included[e]!;
  const net = createFlowNetwork(1 + slotCount + personCount, includedCount + slotCount + Math.min(personCount, includedCount));
  const g: Graph = {
    net,
    present: new Uint8Array(personCount),
    arcOf: new Int32Array(includedCount),
    arcEdge: new Int32Array(includedCount),
    arcCount: 0,
    emptyArc: new Int32Array(slotCount).fill(-1),
  };
  let supply = 0;
  for (let s = 0; s < slotCount; s++) {
    const c = ip.slotCap[s]!;
    if (c <= 0) continue;
    // Leave-empty arc first: later arcs are scanned first, so real candidates win ties.
    g.emptyArc[s] = addArc(net, slotNode(s), SINK, c, 0);
    net.excess[slotNode(s)] = c;
    supply += c;
    for (let e = slotStart[s]!; e < slotStart[s + 1]!; e++) if (included[e] === 1) addEdge(g, ip, s, e);
  }
  net.excess[SINK] = -supply;
  return g;
}

/** Marks each person's `k` best edges (value desc, slot order on ties); returns best values. */
function markPersonBest(ip: IndexedProblem, k: number, out: Uint8Array): Float64Array {
  k = Math.max(1, k);
  const { personCount, slotCount, slotStart, edgePerson, edgeValue } = ip;
  const bestEdge = new Int32Array(personCount * k).fill(-1);
  for (let s = 0; s < slotCount; s++) {
    for (let e = slotStart[s]!; e < slotStart[s + 1]!; e++) {
      const base = edgePerson[e]! * k;
      const v = edgeValue[e]!;
      // insertion into a k-long list sorted best first; earlier edges win ties
      let i = k - 1;
      const last = bestEdge[base + i]!;
      if (last !== -1 && edgeValue[last]! >= v) continue;
      while (i > 0) {
        const prev = bestEdge[base + i - 1]!;
        if (prev !== -1 && edgeValue[prev]! >= v) break;
        bestEdge[base + i] = prev;
        i--;
      }
      bestEdge[base + i] = e;
    }
  }
  for (let i = 0; i < bestEdge.length; i++) if (bestEdge[i]! >= 0) out[bestEdge[i]!] = 1;
  const best = new Float64Array(personCount);
  for (let p = 0; p < personCount; p++) {
    const e = bestEdge[p * k]!;
    best[p] = e >= 0 ? edgeValue[e]! : 0;
  }
  return best;
}

/**
 * Rearranges order[lo..hi) so its first (k − lo) entries are the best edges in sorted order
 * (value desc, person asc). Quickselect then a sort of the small head keeps it O(n + k log k).
 */
function selectBest(order: Int32Array, lo: number, hi: number, k: number, person: Int32Array, value: Float64Array): void {
  const better = (a: number, b: number): boolean => value[a]! > value[b]! || (value[a]! === value[b]! && person[a]! < person[b]!);
  let l = lo;
  let r = hi - 1;
  while (l < r) {
    const mid = (l + r) >> 1;
    // median of three as pivot, deterministic
    const a = order[l]!;
    const b = order[mid]!;
    const c = order[r]!;
    let pivot: number;
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
