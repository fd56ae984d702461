// Public data shapes of the assignment engine: plain, serialisable, no functions.

export type AssignmentPerson = {
  id: string;
  /** How many slots this person may hold at once (default 1). */
  capacity?: number;
  label?: string;
};

/** One stage of the eligibility funnel that produced a slot's candidates, in the order applied. */
export type FunnelStage = {
  /** Machine code, e.g. `specialty`, `on-leave`, `resting`. */
  reason: string;
  /** Human text, e.g. "has specialty plant quarantine". */
  label?: string;
  /** People still eligible after this stage. */
  remaining: number;
};

export type AssignmentSlot = {
  id: string;
  /** Seats in this slot (default 1). */
  capacity?: number;
  label?: string;
  /** How the caller narrowed the population to this slot's candidates; explains empty slots. */
  funnel?: FunnelStage[];
};

export type ScorePart = { name: string; value: number };

export type AssignmentCandidate = {
  personId: string;
  slotId: string;
  /** Integer fit points, higher is better; the last lexicographic level. */
  score: number;
  /** How the score was made up, for the explanation; not used by the solver. */
  parts?: ScorePart[];
  /** Integer values of the problem's `priorities`, in the same order, higher is better. */
  levels?: number[];
  /** Resource use of this pairing (e.g. `cost`, `travelMinutes`) for budget constraints. */
  resources?: Record<string, number>;
};

export type ForbiddenPair = { personId: string; slotId: string; reason?: string };

/** Linear side constraints that break the network structure; they send the problem to HiGHS. */
export type SideConstraint =
  | {
      kind: 'budget';
      id: string;
      label?: string;
      /** Key into each candidate's `resources`; missing means 0. */
      resource: string;
      limit: number;
    }
  | {
      kind: 'quota';
      id: string;
      label?: string;
      /** People counted (all when omitted). */
      personIds?: string[];
      /** Slots counted (all when omitted). */
      slotIds?: string[];
      min?: number;
      max?: number;
    };

export type AssignmentProblem = {
  people: AssignmentPerson[];
  slots: AssignmentSlot[];
  candidates: AssignmentCandidate[];
  forbidden?: ForbiddenPair[];
  /**
   * Names of lexicographic levels between filling and score, most important first;
   * candidate `levels[i]` is the value of `priorities[i]`.
   */
  priorities?: string[];
  /**
   * `first` (default): maximise the number of filled seats before anything else.
   * `score`: a seat is filled only when it improves the objective (negative scores stay empty).
   */
  fill?: 'first' | 'score';
  sideConstraints?: SideConstraint[];
};

export type AssignmentOptions = {
  /** Wall-clock limit for HiGHS on side-constrained problems (default 10 s). */
  timeLimitMs?: number;
  /** `auto` (default) uses the network unless side constraints bind; `milp` always asks HiGHS. */
  method?: 'auto' | 'network' | 'milp';
};

export type AssignedPerson = {
  personId: string;
  score: number;
  parts: ScorePart[];
  levels: Record<string, number>;
};

export type UnfilledCode =
  | 'no-candidates'
  | 'all-forbidden'
  | 'too-few-candidates'
  | 'taken-elsewhere'
  | 'person-limit'
  | 'not-worth-filling'
  | 'side-constraint'
  | 'solver-limit';

export type UnfilledReason = {
  code: UnfilledCode;
  message: string;
  /** The funnel stage that left too few people, when the caller supplied a funnel. */
  stage?: FunnelStage;
  /** Side constraint that blocks the remaining candidates. */
  constraintId?: string;
  /** Where the slot's best candidates went instead (first few). */
  takenBy?: { personId: string; slotId: string }[];
  /** Eligible candidates before exclusions and after forbidden pairs. */
  candidates: number;
};

export type SlotExplanation = {
  slotId: string;
  capacity: number;
  filled: number;
  /** Best first. */
  assigned: AssignedPerson[];
  /** Best candidate not placed here, and where they went, so a reviewer sees the margin. */
  nextBest?: { personId: string; score: number; assignedTo: string[] };
  unfilled?: UnfilledReason;
};

export type SideConstraintReport = {
  id: string;
  kind: SideConstraint['kind'];
  value: number;
  min?: number;
  max?: number;
  satisfied: boolean;
  tight: boolean;
};

export type AssignmentObjective = {
  filled: number;
  /** Totals per priority name. */
  levels: Record<string, number>;
  score: number;
  /** The single weighted objective the network maximises (exact integer while ≤ 2^53). */
  combined: number;
};

export type AssignmentResult = {
  /**
   * `optimal`: proven optimum of the whole model; `feasible`: HiGHS incumbent at its time limit;
   * `fallback`: network optimum ignoring side constraints (HiGHS had no solution in time);
   * `infeasible`: side constraints cannot all hold.
   */
  status: 'optimal' | 'feasible' | 'fallback' | 'infeasible';
  method: 'network' | 'milp';
  assignments: { personId: string; slotId: string; score: number }[];
  objective: AssignmentObjective;
  slots: SlotExplanation[];
  sideConstraints: SideConstraintReport[];
  notes: string[];
  stats: {
    candidates: number;
    networkArcs: number;
    pricingRounds: number;
    networkMs: number;
    highsMs?: number;
  };
};
