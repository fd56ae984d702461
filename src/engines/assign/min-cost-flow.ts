// Min-cost flow by successive shortest paths with node potentials (Dijkstra on reduced
// costs), in the supply/demand form: nodes carry excess (+) or deficit (−) and each
// search runs from one excess node to the nearest deficit node. Any order of excess
// nodes is exact: every step keeps reduced cost ≥ 0 on all residual arcs, so the final
// flow is optimal with the potentials as its certificate.
// Costs must be integers whose path sums stay below 2^53 so every comparison is exact;
// the caller proves that (see lexicographic-weights.ts).

export type FlowNetwork = {
  nodeCount: number;
  arcCount: number;
  head: Int32Array;
  next: Int32Array;
  to: Int32Array;
  cap: Int32Array;
  cost: Float64Array;
  potential: Float64Array;
  /** Positive: supply still to route; negative: demand still open. */
  excess: Float64Array;
};

export function createFlowNetwork(nodeCount: number, arcHint = 16): FlowNetwork {
  const n = Math.max(2, arcHint * 2);
  return {
    nodeCount,
    arcCount: 0,
    head: new Int32Array(nodeCount).fill(-1),
    next: new Int32Array(n),
    to: new Int32Array(n),
    cap: new Int32Array(n),
    cost: new Float64Array(n),
    potential: new Float64Array(nodeCount),
    excess: new Float64Array(nodeCount),
  };
}

function grow(net: FlowNetwork): void {
  const n = net.next.length * 2;
  const next = new Int32Array(n);
  next.set(net.next);
  const to = new Int32Array(n);
  to.set(net.to);
  const cap = new Int32Array(n);
  cap.set(net.cap);
  const cost = new Float64Array(n);
  cost.set(net.cost);
  net.next = next;
  net.to = to;
  net.cap = cap;
  net.cost = cost;
}

/** Adds an arc and its residual twin (index ^ 1); returns the forward arc index. */
export function addArc(net: FlowNetwork, from: number, to: number, capacity: number, cost: number): number {
  if (net.arcCount + 2 > net.next.length) grow(net);
  const a = net.arcCount;
  net.to[a] = to;
  net.cap[a] = capacity;
  net.cost[a] = cost;
  net.next[a] = net.head[from]!;
  net.head[from] = a;
  net.to[a + 1] = from;
  net.cap[a + 1] = 0;
  net.cost[a + 1] = -cost;
  net.next[a + 1] = net.head[to]!;
  net.head[to] = a + 1;
  net.arcCount += 2;
  return a;
}

/** Flow currently on forward arc `a` (its twin's residual capacity). */
export function flowOn(net: FlowNetwork, a: number): number {
  return net.cap[a ^ 1]!;
}

/**
 * Bellman–Ford (queue-based) from every excess node at once, so negative arc costs
 * become non-negative reduced costs. Nodes no excess node reaches sit above every
 * reached one, so arcs into them never look negative.
 */
export function initialisePotentials(net: FlowNetwork): void {
  const n = net.nodeCount;
  const INF = Number.POSITIVE_INFINITY;
  const d = new Float64Array(n).fill(INF);
  const inQueue = new Uint8Array(n);
  const queue = new Int32Array(n + 1);
  let qh = 0;
  let qt = 0;
  let size = 0;
  const push = (v: number): void => {
    inQueue[v] = 1;
    queue[qt] = v;
    qt = qt === n ? 0 : qt + 1;
    size++;
  };
  for (let v = 0; v < n; v++)
    if (net.excess[v]! > 0) {
      d[v] = 0;
      push(v);
    }
  let relaxations = 0;
  const limit = n * (net.arcCount + 1);
  while (size > 0) {
    const u = queue[qh]!;
    qh = qh === n ? 0 : qh + 1;
    size--;
    inQueue[u] = 0;
    const du = d[u]!;
    for (let a = net.head[u]!; a !== -1; a = net.next[a]!) {
      if (net.cap[a]! <= 0) continue;
      const v = net.to[a]!;
      const nd = du + net.cost[a]!;
      if (nd < d[v]!) {
        d[v] = nd;
        if (++relaxations > limit) throw new Error('min-cost-flow: negative cycle in the initial network');
        if (inQueue[v] === 0) push(v);
      }
    }
  }
  let maxFinite = 0;
  for (let v = 0; v < n; v++) if (d[v]! !== INF && d[v]! > maxFinite) maxFinite = d[v]!;
  for (let v = 0; v < n; v++) net.potential[v] = d[v]! === INF ? maxFinite : d[v]!;
}

/**
 * Cancels the flow on every forward arc leaving `node` (the units become excess again and
 * the heads get the matching deficit), then raises its potential until every residual arc
 * leaving it has reduced cost ≥ 0. Valid only for a node with no incoming residual arcs
 * once its flow is cancelled (a pure supply node such as a slot), which lets new arcs out
 * of it be added however cheap they are.
 */
export function releaseNode(net: FlowNetwork, node: number): void {
  const pot = net.potential;
  for (let a = net.head[node]!; a !== -1; a = net.next[a]!) {
    if ((a & 1) !== 0) {
      if (net.cap[a]! > 0) throw new Error('min-cost-flow: releaseNode on a node with inflow');
      continue;
    }
    const f = net.cap[a ^ 1]!;
    if (f > 0) {
      net.cap[a] = net.cap[a]! + f;
      net.cap[a ^ 1] = 0;
      net.excess[node] = net.excess[node]! + f;
      net.excess[net.to[a]!] = net.excess[net.to[a]!]! - f;
    }
  }
  let need = pot[node]!;
  for (let a = net.head[node]!; a !== -1; a = net.next[a]!) {
    if (net.cap[a]! <= 0) continue;
    const p = pot[net.to[a]!]! - net.cost[a]!;
    if (p > need) need = p;
  }
  pot[node] = need;
}

export type RouteStats = { augmentations: number; settledNodes: number; cost: number };

/**
 * Routes all excess to deficits. Excess nodes are served in ascending index order, one
 * path at a time, so results are deterministic. Throws if some excess cannot reach any
 * deficit (callers add an always-open "leave empty" arc to rule that out).
 */
export function routeSupplies(net: FlowNetwork): RouteStats {
  const n = net.nodeCount;
  const pot = net.potential;
  const excess = net.excess;
  const { head, to } = net;
  const dist = new Float64Array(n);
  const prevArc = new Int32Array(n);
  const done = new Uint8Array(n);
  const seen = new Uint8Array(n);
  const heap = new Int32Array(n);
  const pos = new Int32Array(n);
  const touched = new Int32Array(n);
  let augmentations = 0;
  let settledNodes = 0;
  let totalCost = 0;

  for (let origin = 0; origin < n; origin++) {
    while (excess[origin]! > 0) {
      const next = net.next;
      const cap = net.cap;
      const arcCost = net.cost;
      let touchedCount = 0;
      let heapSize = 0;
      dist[origin] = 0;
      prevArc[origin] = -1;
      seen[origin] = 1;
      touched[touchedCount++] = origin;
      heap[heapSize++] = origin;
      pos[origin] = 0;
      let target = -1;
      while (heapSize > 0) {
        const u = heap[0]!;
        heapSize--;
        if (heapSize > 0) siftDown(heap, pos, dist, heapSize, heap[heapSize]!);
        done[u] = 1;
        settledNodes++;
        if (excess[u]! < 0) {
          target = u;
          break;
        }
        const du = dist[u]! + pot[u]!;
        for (let a = head[u]!; a !== -1; a = next[a]!) {
          if (cap[a]! <= 0) continue;
          const v = to[a]!;
          if (done[v] === 1) continue;
          const nd = du + arcCost[a]! - pot[v]!;
          if (seen[v] === 0) {
            seen[v] = 1;
            touched[touchedCount++] = v;
            dist[v] = nd;
            prevArc[v] = a;
            heap[heapSize] = v;
            pos[v] = heapSize;
            heapSize++;
            siftUp(heap, pos, dist, heapSize - 1);
          } else if (nd < dist[v]!) {
            dist[v] = nd;
            prevArc[v] = a;
            siftUp(heap, pos, dist, pos[v]!);
          }
        }
      }
      if (target === -1) throw new Error('min-cost-flow: supply cannot reach any demand');
      // "potential += min(d, d_target)" shifted by the constant d_target: only settled
      // nodes change, and reduced costs of all residual arcs stay ≥ 0.
      const dt = dist[target]!;
      for (let i = 0; i < touchedCount; i++) {
        const v = touched[i]!;
        if (done[v] === 1) pot[v] = pot[v]! - (dt - dist[v]!);
        done[v] = 0;
        seen[v] = 0;
      }
      let push = Math.min(excess[origin]!, -excess[target]!);
      for (let v = target; v !== origin;) {
        const a = prevArc[v]!;
        if (cap[a]! < push) push = cap[a]!;
        v = to[a ^ 1]!;
      }
      let pathCost = 0;
      for (let v = target; v !== origin;) {
        const a = prevArc[v]!;
        cap[a] = cap[a]! - push;
        cap[a ^ 1] = cap[a ^ 1]! + push;
        pathCost += arcCost[a]!;
        v = to[a ^ 1]!;
      }
      excess[origin] = excess[origin]! - push;
      excess[target] = excess[target]! + push;
      totalCost += push * pathCost;
      augmentations++;
      // The shifted update drifts settled potentials down; re-centre long before 2^53.
      if (pot[origin]! < -1e15) {
        const shift = pot[origin]!;
        for (let v = 0; v < n; v++) pot[v] = pot[v]! - shift;
      }
    }
  }
  return { augmentations, settledNodes, cost: totalCost };
}

function siftUp(heap: Int32Array, pos: Int32Array, key: Float64Array, i: number): void {
  const v = heap[i]!;
  const k = key[v]!;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent]!;
    if (key[p]! <= k) break;
    heap[i] = p;
    pos[p] = i;
    i = parent;
  }
  heap[i] = v;
  pos[v] = i;
}

/** Places `v` (taken from the end) at the root and sifts it down. */
function siftDown(heap: Int32Array, pos: Int32Array, key: Float64Array, size: number, v: number): void {
  const k = key[v]!;
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= size) break;
    const r = c + 1;
    if (r < size && key[heap[r]!]! < key[heap[c]!]!) c = r;
    const cv = heap[c]!;
    if (key[cv]! >= k) break;
    heap[i] = cv;
    pos[cv] = i;
    i = c;
  }
  heap[i] = v;
  pos[v] = i;
}
