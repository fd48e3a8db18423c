/** Every error code keyward answers with (SPEC §5). */
export type ErrorCode =
  | 'request_blocked'
  | 'missing_token'
  | 'invalid_api_key'
  | 'environment_mismatch'
  | 'ip_blocked'
  | 'api_key_blocked'
  | 'api_key_expired'
  | 'subscription_required'
  | 'subscription_expired'
  | 'feature_required'
  | 'endpoint_not_available'
  | 'insufficient_scope'
  | 'rate_limit_exceeded'
  | 'https_required'
  | 'unsupported_media_type'
  | 'store_unavailable'
  | 'payload_too_large'
  | 'malformed_body'
  | 'internal_error'
  | 'not_found'
  | 'forbidden'
  | 'unauthorized'
  | 'bad_request'
  | 'conflict';

interface CatalogEntry {
  status: number;
  title: string;
  detail: string;
}

/** Status, title and default detail of each code. */
export const ERROR_CATALOG: Readonly<Record<ErrorCode, CatalogEntry>> = {
  request_blocked: {
    status: 400,
    title: 'Request Blocked',
    detail: 'The request contains content that is not allowed.',
  },
  missing_token: {
    status: 401,
    title: 'Unauthorized',
    detail: 'An API key is required. Send it in the X-API-Key header or as a Bearer token.',
  },
  invalid_api_key: { status: 401, title: 'Unauthorized', detail: 'The API key is not valid.' },
  environment_mismatch: {
    status: 401,
    title: 'Unauthorized',
    detail: 'The API key belongs to another environment.',
  },
  ip_blocked: {
    status: 401,
    title: 'Unauthorized',
    detail: 'Too many failed authentication attempts. Please try again later.',
  },
  api_key_blocked: {
    status: 403,
    title: 'API Key Blocked',
    detail: 'The API key is temporarily blocked.',
  },
  api_key_expired: { status: 403, title: 'API Key Expired', detail: 'The API key has expired.' },
  subscription_required: {
    status: 403,
    title: 'Subscription Required',
    detail: 'Your team needs an active subscription to use the API.',
  },
  subscription_expired: {
    status: 403,
    title: 'Subscription Expired',
    detail: "Your team's subscription has expired. Please renew to continue.",
  },
  feature_required: {
    status: 403,
    title: 'Feature Not Available',
    detail: 'Your subscription does not include the required feature.',
  },
  endpoint_not_available: {
    status: 403,
    title: 'Endpoint Not Available',
    detail: 'This endpoint is not available for API key authentication.',
  },
  insufficient_scope: {
    status: 403,
    title: 'Insufficient Scope',
    detail: 'The API key does not have the scopes this endpoint requires.',
  },
  rate_limit_exceeded: {
    status: 429,
    title: 'Too Many Requests',
    detail: 'Rate limit exceeded. Please retry later.',
  },
  https_required: {
    status: 403,
    title: 'HTTPS Required',
    detail: 'This API is only available over HTTPS.',
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported Media Type',
    detail: 'Request bodies must be sent as application/json.',
  },
  store_unavailable: {
    status: 503,
    title: 'Service Unavailable',
    detail: 'The service is temporarily unavailable. Please retry later.',
  },
  payload_too_large: {
    status: 413,
    title: 'Payload Too Large',
    detail: 'The request body is too large.',
  },
  malformed_body: {
    status: 400,
    title: 'Bad Request',
    detail: 'The request body could not be parsed.',
  },
  internal_error: {
    status: 500,
    title: 'Internal Server Error',
    detail: 'An unexpected error occurred.',
  },
  not_found: { status: 404, title: 'Not Found', detail: 'The resource does not exist.' },
  forbidden: { status: 403, title: 'Forbidden', detail: 'You are not allowed to do this.' },
  unauthorized: { status: 401, title: 'Unauthorized', detail: 'Authentication is required.' },
  bad_request: { status: 400, title: 'Bad Request', detail: 'The request is not valid.' },
  conflict: {
    status: 409,
    title: 'Conflict',
    detail: 'The resource is not in a state that allows this.',
  },
};

/** True when `value` is one of keyward's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOG, value);
}
