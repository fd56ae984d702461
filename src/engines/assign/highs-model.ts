// Builds the HiGHS model (plain typed arrays, so it can cross into the worker) for an
// indexed assignment problem plus linear side rows: one column per candidate pair,
// one row per person and per slot capacity, one per side constraint.

import type { IndexedProblem } from './solve-network.js';

/** A linear row over candidate edges: lower ≤ Σ coef·x[edge] ≤ upper. */
export type LinearRow = { lower: number; upper: number; edges: Int32Array; coefs: Float64Array };

export type HighsModelInput = {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  /** Absent for the LP relaxation. */
  integrality?: Int32Array;
};

export function buildHighsModel(ip: IndexedProblem, sideRows: readonly LinearRow[], opts: { relax?: boolean } = {}): HighsModelInput {
  const { personCount, slotCount, slotStart, edgePerson, edgeValue } = ip;
  const numCols = edgePerson.length;
  const personRow = new Int32Array(personCount).fill(-1);
  let numRows = 0;
  for (let e = 0; e < numCols; e++) {
    const p = edgePerson[e]!;
    if (personRow[p] === -1) personRow[p] = numRows++;
  }
  const personRows = numRows;
  const slotRow = new Int32Array(slotCount);
  for (let s = 0; s < slotCount; s++) slotRow[s] = numRows++;
  const sideBase = numRows;
  numRows += sideRows.length;

  const rowLower = new Float64Array(numRows).fill(-Infinity);
  const rowUpper = new Float64Array(numRows);
  for (let p = 0; p < personCount; p++) if (personRow[p]! >= 0) rowUpper[personRow[p]!] = ip.personCap[p]!;
  for (let s = 0; s < slotCount; s++) rowUpper[slotRow[s]!] = ip.slotCap[s]!;
  sideRows.forEach((r, i) => {
    rowLower[sideBase + i] = r.lower;
    rowUpper[sideBase + i] = r.upper;
  });

  // Column-wise entries: person row, slot row, then side rows in order.
  const count = new Int32Array(numCols).fill(2);
  for (const r of sideRows) for (let i = 0; i < r.edges.length; i++) count[r.edges[i]!]!++;
  const starts = new Int32Array(numCols + 1);
  for (let e = 0; e < numCols; e++) starts[e + 1] = starts[e]! + count[e]!;
  const nnz = starts[numCols]!;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  const fill = new Int32Array(numCols);
  for (let s = 0; s < slotCount; s++) {
    for (let e = slotStart[s]!; e < slotStart[s + 1]!; e++) {
      const at = starts[e]!;
      indices[at] = personRow[edgePerson[e]!]!;
      values[at] = 1;
      indices[at + 1] = slotRow[s]!;
      values[at + 1] = 1;
      fill[e] = 2;
    }
  }
  sideRows.forEach((r, i) => {
    for (let k = 0; k < r.edges.length; k++) {
      const e = r.edges[k]!;
      const at = starts[e]! + fill[e]!++;
      indices[at] = sideBase + i;
      values[at] = r.coefs[k]!;
    }
  });
  void personRows;

  const colCost = new Float64Array(numCols);
  for (let e = 0; e < numCols; e++) colCost[e] = -edgeValue[e]!;
  const model: HighsModelInput = {
    numCols,
    numRows,
    colCost,
    colLower: new Float64Array(numCols),
    colUpper: new Float64Array(numCols).fill(1),
    rowLower,
    rowUpper,
    starts,
    indices,
    values,
  };
  if (!opts.relax) model.integrality = new Int32Array(numCols).fill(1);
  return model;
}
