export { startAwsDouble, type AwsDouble, type RecordedRequest } from './server.js';
export { DoubleState, type FakeStack, type FakeFunction, type Template } from './state.js';
