export { rateLimit } from './rate-limit.js';
export type { RateLimitOptions, PlanLimits } from './options.js';
export { keyMonthlyCounter, utcMonth } from './windows.js';
