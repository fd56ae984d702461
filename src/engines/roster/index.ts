// Public API of the rostering engine: pure functions over plain data.
export type {
  ShiftType,
  StaffMember,
  CoverRequirement,
  ShiftRequest,
  PinnedAssignment,
  FairnessWeights,
  RosterInstance,
  RosterCell,
  Roster,
  ConstraintKind,
  Violation,
  Score,
  Evaluation,
  SolveOptions,
  SolveResult,
} from './types.js';
export { parseCurtois, readCurtoisFile, RosterParseError, CURTOIS_SKILL } from './curtois-parser.js';
export { evaluateRoster, isWeekendDay } from './evaluator.js';
export { solveRoster, defaultThreads } from './solver.js';
