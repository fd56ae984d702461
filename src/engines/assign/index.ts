// Public API of the assignment engine: exact people-to-slot assignment with explanations.
export type {
  AssignedPerson,
  AssignmentCandidate,
  AssignmentObjective,
  AssignmentOptions,
  AssignmentPerson,
  AssignmentProblem,
  AssignmentResult,
  AssignmentSlot,
  ForbiddenPair,
  FunnelStage,
  ScorePart,
  SideConstraint,
  SideConstraintReport,
  SlotExplanation,
  UnfilledCode,
  UnfilledReason,
} from './types.js';
export { solveAssignment, solveAssignmentNetwork } from './solve-assignment.js';
export { AssignmentInputError } from './index-problem.js';
