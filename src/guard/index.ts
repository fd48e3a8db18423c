/** requestGuard and its detection engine (SPEC §7). */
export { requestGuard } from './request-guard.js';
export type { RequestGuardOptions } from './options.js';
export type { GuardExemption } from './exemptions.js';
export { compileEndpointMatcher, type EndpointMatcher } from '../http/endpoint.js';
export { inspect, MAX_VIOLATIONS, type InspectOptions, type InspectionResult } from './inspect.js';
export { detect } from './detect.js';
export { normalize } from './normalize.js';
export {
  VIOLATION_CATEGORIES,
  isViolationCategory,
  type Violation,
  type ViolationCategory,
} from './violation.js';
