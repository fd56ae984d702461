// Public API of the eligibility rules engine: plain data in, plain data out.
export type {
  Applicant,
  ApplicantFacts,
  ClauseDefinition,
  ClauseOutcome,
  DataSource,
  Decision,
  Department,
  FactDefinition,
  FactSchema,
  FactValue,
  LegalReference,
  LocalisedText,
  Locale,
  ParameterDefinition,
  ParameterValue,
  PolicyDefinition,
  PolicyVersion,
  ScalarType,
  ValueType,
} from './policy.js';
export { decisionCodes, isIsoDate, monthsBetween, outcomeCodes, yearsBetween } from './policy.js';
export type { CompileIssue, CompiledClause } from './compile-clause.js';
export { PolicyCompileError, clauseLimits } from './compile-clause.js';
export type { CompiledPolicy, CompiledVersion, ResolvedParameter, ResolvedPolicy } from './compile-policy.js';
export type { PlanEvaluator } from './generate-evaluator.js';
export { ParameterNotInForceError, compilePolicy, findVersion, resolvePolicy } from './compile-policy.js';
export type { BatchEvaluation, ClauseTrace, CompiledPolicySet, EvaluationPlan, PolicyDecision } from './evaluate-batch.js';
export { compilePolicies, evaluateApplicants, evaluateBatch, planEvaluation, readDecision } from './evaluate-batch.js';
export type { ReferenceDecision } from './reference-evaluator.js';
export { evaluatePlanWithReference, evaluateWithReference } from './reference-evaluator.js';
export {
  exampleFactSchema,
  examplePolicies,
  graduateLivingSubsidyPolicy,
  settlementBonusPolicy,
  startupSupportPolicy,
} from './examples.js';
