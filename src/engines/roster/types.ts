// Plain-data model of a rostering problem and its answer. Everything is JSON-serialisable so it
// can cross worker threads and HTTP boundaries unchanged.

export type ShiftType = {
  id: string;
  /** Minutes after midnight; only used for the minimum-rest rule. */
  startMinute?: number;
  lengthMinutes: number;
  /** Shift ids that may not be worked the day after this one. */
  forbiddenNext: string[];
  /** Counts towards the consecutive high-load cap. */
  highLoad?: boolean;
  /** Counts towards the fair spread of nights. */
  night?: boolean;
};

export type StaffMember = {
  id: string;
  skills: string[];
  /** Max shifts of each type over the horizon; a missing type means unlimited. */
  maxShifts: Record<string, number>;
  maxMinutes: number;
  minMinutes: number;
  maxConsecutiveShifts: number;
  minConsecutiveShifts: number;
  minConsecutiveDaysOff: number;
  maxWeekends: number;
  /** Days (0-based) on which the member must not work. */
  daysOff: number[];
  /** Cap on consecutive days worked on high-load shifts; absent means no cap. */
  maxConsecutiveHighLoad?: number;
};

export type CoverRequirement = {
  day: number;
  shiftId: string;
  skill: string;
  requirement: number;
  weightUnder: number;
  weightOver: number;
};

export type ShiftRequest = {
  staffId: string;
  day: number;
  shiftId: string;
  weight: number;
};

/** An assignment already published; changing it costs `weight` (re-rostering). */
export type PinnedAssignment = {
  staffId: string;
  day: number;
  /** null pins a day off. */
  shiftId: string | null;
  /** When given, working the shift under another skill also counts as a change. */
  skill?: string;
  weight: number;
};

export type FairnessWeights = {
  /** Per member, weight × n(n−1)/2 for n nights: convex, so equal totals spread evenly. */
  nights: number;
  /** Same shape for weekends worked. */
  weekends: number;
};

export type RosterInstance = {
  name?: string;
  horizonDays: number;
  /** Weekday of day 0, 0 = Monday … 6 = Sunday. Weekends are Saturday and Sunday. */
  firstWeekday?: number;
  shifts: ShiftType[];
  skills: string[];
  staff: StaffMember[];
  cover: CoverRequirement[];
  onRequests: ShiftRequest[];
  offRequests: ShiftRequest[];
  /** Minimum rest between the end of one shift and the start of the next day's shift. */
  minRestMinutes?: number;
  fairness?: FairnessWeights;
  pinned?: PinnedAssignment[];
};

export type RosterCell = { shiftId: string; skill: string } | null;

/** cells[staffIndex][day], in the order of `instance.staff`. */
export type Roster = { cells: RosterCell[][] };

export type ConstraintKind =
  | 'unknown-shift'
  | 'missing-skill'
  | 'day-off'
  | 'forbidden-succession'
  | 'min-rest'
  | 'max-shifts'
  | 'max-minutes'
  | 'min-minutes'
  | 'max-consecutive-shifts'
  | 'min-consecutive-shifts'
  | 'min-consecutive-days-off'
  | 'max-weekends'
  | 'max-consecutive-high-load'
  | 'cover-under'
  | 'cover-over'
  | 'shift-on-request'
  | 'shift-off-request'
  | 'fair-nights'
  | 'fair-weekends'
  | 'pinned-change';

export type Violation = {
  constraint: ConstraintKind;
  level: 'hard' | 'soft';
  staffId?: string;
  shiftId?: string;
  skill?: string;
  days: number[];
  /**
   * Soft: objective points. Hard: size of the breach in the constraint's own unit (shifts,
   * days, weekends, whole hours for minute limits, 1 per forbidden pair or day off).
   */
  penalty: number;
};

export type Score = { hard: number; soft: number };

export type Evaluation = Score & { violations: Violation[] };

export type SolveOptions = {
  seed?: number;
  /** Independent searches run in parallel (worker threads); the best is returned. */
  threads?: number;
  timeLimitMs?: number;
  /** Per thread. When set without a time limit the result is fully deterministic. */
  maxIterations?: number;
  /** Start from this roster instead of the constructive heuristic. */
  initial?: Roster;
  /** Stop as soon as a roster at or below this objective with no hard violation is found. */
  targetSoft?: number;
};

export type SolveResult = {
  roster: Roster;
  /** The solver's own incremental score of `roster`. */
  score: Score;
  feasible: boolean;
  /** Evaluator's account of every violated constraint of `roster`. */
  violations: Violation[];
  /** Seconds from the call until the first roster without hard violations, or null. */
  firstFeasibleSeconds: number | null;
  iterations: number;
  elapsedSeconds: number;
  /** Seed of the search that produced `roster`. */
  seed: number;
};
