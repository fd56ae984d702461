// Min-cost flow by successive shortest paths with node potentials (Dijkstra on reduced costs).
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

export type FlowRun = {
  flow: number;
  cost: number;
  augmentations: number;
  /** Whether the sink was reachable in the final search (false: the flow is maximum). */
  sinkReachable: boolean;
  /** Nodes settled by the final search (its reachable set when the sink was not reached). */
  settled: Uint8Array;
};

/**
 * Pushes flow from `source` to `sink` along cheapest paths while each path costs
 * less than `stopAtCost` (default: any cost, i.e. min-cost max-flow), up to `maxFlow`.
 * The cost of the best k-unit flow is convex in k, so stopping at the first path that
 * costs ≥ 0 gives the cheapest flow of any size. On return the potentials keep every
 * residual arc at reduced cost ≥ 0, and when the sink was reached potential[sink] −
 * potential[source] is the cost of the next cheapest path; solve-assignment prices the
 * arcs it left out of the network against exactly this certificate.
 */
export function runMinCostFlow(
  net: FlowNetwork,
  source: number,
  sink: number,
  opts: { maxFlow?: number; stopAtCost?: number } = {},
): FlowRun {
  const maxFlow = opts.maxFlow ?? Number.MAX_SAFE_INTEGER;
  const stopAtCost = opts.stopAtCost ?? Number.POSITIVE_INFINITY;
  const n = net.nodeCount;
  initialisePotentials(net, source);
  const pot = net.potential;
  const { head, next, to, cost: arcCost } = net;
  const cap = net.cap;
  const dist = new Float64Array(n);
  const prevArc = new Int32Array(n);
  const done = new Uint8Array(n);
  const seen = new Uint8Array(n);
  const heap = new Int32Array(n);
  const pos = new Int32Array(n);
  const touched = new Int32Array(n);
  let flow = 0;
  let cost = 0;
  let augmentations = 0;
  let reached = false;

  for (;;) {
    let touchedCount = 0;
    let heapSize = 0;
    dist[source] = 0;
    prevArc[source] = -1;
    seen[source] = 1;
    touched[touchedCount++] = source;
    heap[heapSize++] = source;
    pos[source] = 0;
    reached = false;
    while (heapSize > 0) {
      const u = heap[0]!;
      heapSize--;
      if (heapSize > 0) {
        const last = heap[heapSize]!;
        siftDown(heap, pos, dist, heapSize, last);
      }
      done[u] = 1;
      if (u === sink) {
        reached = true;
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
          pos[v] = heapSize;
          heap[heapSize++] = v;
          siftUp(heap, pos, dist, heapSize - 1);
        } else if (nd < dist[v]!) {
          dist[v] = nd;
          prevArc[v] = a;
          siftUp(heap, pos, dist, pos[v]!);
        }
      }
    }
    // Lowering settled nodes by (label cap − label) is the usual "potential += min(d, d_sink)"
    // shifted by a constant, so only touched nodes change and reduced costs stay ≥ 0.
    let capLabel = 0;
    if (reached) capLabel = dist[sink]!;
    else
      for (let i = 0; i < touchedCount; i++) {
        const v = touched[i]!;
        if (done[v] === 1 && dist[v]! > capLabel) capLabel = dist[v]!;
      }
    for (let i = 0; i < touchedCount; i++) {
      const v = touched[i]!;
      if (done[v] === 1) pot[v] = pot[v]! - (capLabel - dist[v]!);
    }
    if (!reached) {
      const settled = new Uint8Array(n);
      for (let i = 0; i < touchedCount; i++) settled[touched[i]!] = done[touched[i]!]!;
      for (let i = 0; i < touchedCount; i++) {
        done[touched[i]!] = 0;
        seen[touched[i]!] = 0;
      }
      return { flow, cost, augmentations, sinkReachable: false, settled };
    }
    for (let i = 0; i < touchedCount; i++) {
      done[touched[i]!] = 0;
      seen[touched[i]!] = 0;
    }
    // The shifted update drifts all potentials down together; re-centre before it nears 2^53.
    if (pot[source]! < -1e15) {
      const shift = pot[source]!;
      for (let v = 0; v < n; v++) pot[v] = pot[v]! - shift;
    }
    const pathCost = pot[sink]! - pot[source]!;
    if (pathCost >= stopAtCost || flow >= maxFlow) break;
    let push = maxFlow - flow;
    for (let v = sink; v !== source; ) {
      const a = prevArc[v]!;
      if (cap[a]! < push) push = cap[a]!;
      v = to[a ^ 1]!;
    }
    for (let v = sink; v !== source; ) {
      const a = prevArc[v]!;
      cap[a] = cap[a]! - push;
      cap[a ^ 1] = cap[a ^ 1]! + push;
      v = to[a ^ 1]!;
    }
    flow += push;
    cost += push * pathCost;
    augmentations++;
  }
  return { flow, cost, augmentations, sinkReachable: true, settled: new Uint8Array(0) };
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

/**
 * Bellman–Ford (queue-based) from the source so negative arc costs become non-negative
 * reduced costs; nodes the source cannot reach keep potential 0 and are never settled.
 */
function initialisePotentials(net: FlowNetwork, source: number): void {
  const n = net.nodeCount;
  const pot = net.potential;
  const INF = Number.POSITIVE_INFINITY;
  const d = new Float64Array(n).fill(INF);
  const inQueue = new Uint8Array(n);
  const queue = new Int32Array(n + 1);
  let qh = 0;
  let qt = 0;
  let size = 0;
  d[source] = 0;
  queue[qt] = source;
  qt = (qt + 1) % (n + 1);
  size++;
  inQueue[source] = 1;
  let relaxations = 0;
  const limit = n * net.arcCount + 1;
  while (size > 0) {
    const u = queue[qh]!;
    qh = (qh + 1) % (n + 1);
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
        if (inQueue[v] === 0) {
          inQueue[v] = 1;
          queue[qt] = v;
          qt = (qt + 1) % (n + 1);
          size++;
        }
      }
    }
  }
  let maxFinite = 0;
  for (let v = 0; v < n; v++) if (d[v]! !== INF && d[v]! > maxFinite) maxFinite = d[v]!;
  // Unreachable nodes sit above every reachable one, so arcs into them never look negative.
  for (let v = 0; v < n; v++) pot[v] = d[v]! === INF ? maxFinite : d[v]!;
}
