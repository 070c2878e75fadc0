// The JSON services a deploy touches: API Gateway and Lambda (REST + JSON), CloudWatch Logs
// (JSON 1.1 with an X-Amz-Target header). Their answers come from the stacks' resources.
import type { RestReply } from './s3.js';
import { sha256Base64, type DoubleState } from './state.js';

function json(status: number, value: unknown, headers: Record<string, string> = {}): RestReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** REST-JSON errors name their type in a header; JSON 1.1 ones in `__type`. */
function restError(status: number, type: string, message: string): RestReply {
  return json(status, { message, Message: message }, { 'x-amzn-errortype': type });
}

function allResources(state: DoubleState) {
  return [...state.stacks.values()].filter((stack) => stack.status !== 'DELETE_COMPLETE').flatMap((stack) => [...stack.resources.values()]);
}

export function handleApiGateway(state: DoubleState, method: string, url: URL): RestReply {
  const resources = allResources(state);
  const stage = /^\/restapis\/([^/]+)\/stages\/([^/]+)$/.exec(url.pathname);
  if (method === 'GET' && stage) {
    const found = resources.find((resource) => resource.type === 'AWS::ApiGateway::Stage' && resource.physicalId === decodeURIComponent(stage[2]!));
    if (!found) return restError(404, 'NotFoundException', 'Invalid stage identifier specified');
    const definition = found.definition as { DeploymentId?: string };
    return json(200, { stageName: found.physicalId, deploymentId: definition.DeploymentId });
  }
  const deployment = /^\/restapis\/([^/]+)\/deployments\/([^/]+)$/.exec(url.pathname);
  if (method === 'GET' && deployment) {
    const found = resources.find((resource) => resource.type === 'AWS::ApiGateway::Deployment' && resource.physicalId === decodeURIComponent(deployment[2]!));
    if (!found) return restError(404, 'NotFoundException', 'Invalid deployment identifier specified');
    return json(200, { id: found.physicalId, description: (found.definition as { Description?: string }).Description });
  }
  if (method === 'GET' && url.pathname === '/restapis') {
    const items = resources.filter((resource) => resource.type === 'AWS::ApiGateway::RestApi').map((resource) => ({ id: resource.physicalId, name: (resource.definition as { Name?: string }).Name }));
    return json(200, { item: items });
  }
  return restError(404, 'NotFoundException', `the double does not implement ${method} ${url.pathname}`);
}

export function handleLambda(state: DoubleState, method: string, url: URL, body: Buffer): RestReply {
  const match = /^\/2015-03-31\/functions\/([^/]+)\/(configuration|code|invocations)$/.exec(url.pathname);
  if (!match) return restError(404, 'ResourceNotFoundException', `the double does not implement ${method} ${url.pathname}`);
  const name = decodeURIComponent(match[1]!);
  const fn = state.functions.get(name);
  if (!fn) return restError(404, 'ResourceNotFoundException', `Function not found: arn:aws:lambda:${state.region}:${state.account}:function:${name}`);
  const configuration = () => ({ FunctionName: fn.name, CodeSha256: fn.codeSha256, State: 'Active', LastUpdateStatus: 'Successful' });
  if (match[2] === 'configuration' && method === 'GET') return json(200, configuration());
  if (match[2] === 'code' && method === 'PUT') {
    const request = JSON.parse(body.toString('utf8')) as { S3Bucket?: string; S3Key?: string };
    const object = request.S3Bucket && request.S3Key ? state.latest(request.S3Bucket, request.S3Key) : undefined;
    if (!object) return restError(400, 'InvalidParameterValueException', 'Error occurred while GetObject. S3 Error Code: NoSuchKey.');
    fn.codeSha256 = sha256Base64(object.body);
    return json(200, configuration());
  }
  if (match[2] === 'invocations' && method === 'POST') {
    const event = body.length ? (JSON.parse(body.toString('utf8')) as unknown) : undefined;
    const result = fn.respond?.(event) ?? { payload: { ok: true } };
    const headers: Record<string, string> = { 'x-amz-executed-version': '$LATEST' };
    if (result.log !== undefined) headers['x-amz-log-result'] = Buffer.from(result.log, 'utf8').toString('base64');
    if (result.error) headers['x-amz-function-error'] = result.error;
    return json(200, result.payload, headers);
  }
  return restError(405, 'InvalidRequestContentException', `${method} not allowed`);
}

export function handleLogs(state: DoubleState, target: string, body: Buffer): RestReply {
  const operation = target.split('.').pop();
  if (operation !== 'FilterLogEvents') return json(400, { __type: 'UnknownOperationException', message: `the double does not implement ${target}` });
  const request = JSON.parse(body.toString('utf8')) as { logGroupName: string; startTime?: number; nextToken?: string };
  const group = state.logGroups.get(request.logGroupName);
  if (!group) return json(400, { __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
  const events = group.filter((event) => event.timestamp >= (request.startTime ?? 0));
  // Two events per page, to make clients page.
  const start = Number(request.nextToken ?? 0);
  const page = events.slice(start, start + 2);
  return json(200, { events: page, ...(start + 2 < events.length && { nextToken: String(start + 2) }) });
}
