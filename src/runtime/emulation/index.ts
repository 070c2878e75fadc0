// API Gateway emulation shared by sls-ts/testing and the dev server. Not part of any Lambda bundle.
export * from './gateway-responses.js';
export { withGatewayCors, type GatewayCors } from './gateway-cors.js';
export { mapProxyResult, mapProxyPayload, matchesMediaType, type MapOptions, type MappedResult } from './proxy-result.js';
export {
  HTTP_API_TIMEOUT_MS, httpApiInternalServerError, httpApiNotFound, httpApiServiceUnavailable, mapHttpApiPayload, mapHttpApiResult, type HttpApiMapOptions,
} from './http-api-result.js';
export * from './authorizers/index.js';
export { createUsageMeter, limitExceeded, tooManyRequests, type MeteredPlan, type UsageMeter } from './usage-meter.js';
