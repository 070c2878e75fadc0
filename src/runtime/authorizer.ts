// Lambda authorizers (REST API, TOKEN and REQUEST): a class in app/authorizers/<name>-authorizer.ts
// whose authorize() answers allow / deny / unauthorized, deployed as its own function. Only
// authorizer bundles import this file: controllers read the outcome through request.auth.
import type { AuthorizerType } from '../router/authorizer-settings.js';
import { HeaderMap } from './request.js';
import type { AuthorizerEvent, AuthorizerPolicyStatement, AuthorizerResult, LambdaContext, MethodArnParts } from './types.js';

export { AUTHORIZER_DEFAULTS, AUTHORIZER_MAX_TTL, type AuthorizerSettings, type AuthorizerType } from '../router/authorizer-settings.js';

/** What authorize() is asked about: the TOKEN or REQUEST event, read once. */
export interface AuthorizerRequest extends MethodArnParts {
  /** TOKEN: the identity source's value as sent (`Bearer …`, the prefix included). Undefined for REQUEST. */
  token: string | undefined;
  /** REQUEST: the request's headers (case-insensitive); empty for TOKEN. */
  headers: HeaderMap;
  /** REQUEST: query parameters (a repeated key holds its last value); empty for TOKEN. */
  query: Readonly<Record<string, string>>;
  multiQuery: Readonly<Record<string, string[]>>;
  pathParameters: Readonly<Record<string, string>>;
  stageVariables: Readonly<Record<string, string>>;
  /** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<VERB>/<path>`: the method being called. */
  methodArn: string;
  event: AuthorizerEvent;
}

/** Context values reach controllers as `request.auth.context` (REST API: as strings). Undefined values are left out. */
export type AuthorizerContext = Record<string, string | number | boolean | undefined>;

export interface PolicyOptions {
  /**
   * What the policy covers: `'GET /posts/*'` (a verb or `*`, then a path; `*` matches any
   * characters, slashes included) within this stage, or full execute-api ARNs. Default: every
   * method of the stage.
   */
  resources?: readonly string[];
  /** The API key a usage plan meters when the API's key source is AUTHORIZER. */
  usageIdentifierKey?: string;
}

/** Thrown by unauthorized(); the handler turns it into the one error API Gateway answers 401 to. */
class UnauthorizedSignal extends Error {
  constructor() {
    super('Unauthorized');
    this.name = 'UnauthorizedSignal';
  }
}

export abstract class Authorizer {
  /**
   * `'token'` (default) or `'request'`. Read by the build as plain data, as are the statics below,
   * which reports any other value; typed wide so that `static type = 'request'` needs no `as const`.
   */
  static type?: AuthorizerType | (string & {});
  /** Default `method.request.header.Authorization`; a list for REQUEST authorizers. */
  static identitySource?: string | readonly string[];
  /** Seconds API Gateway caches a result per identity source (default 300, 0 = no cache). */
  static ttl?: number;
  /** TOKEN only: a regular expression; a token that does not match gets 401 without invoking the authorizer. */
  static validation?: string;

  constructor(readonly request: AuthorizerRequest) {}

  abstract authorize(request: AuthorizerRequest, context: LambdaContext): AuthorizerResult | Promise<AuthorizerResult>;

  /** Lets `principalId` in (to the whole stage unless `options.resources` narrows it); `context` reaches the controller. */
  allow(principalId: string, context?: AuthorizerContext, options?: PolicyOptions): AuthorizerResult {
    return this.policy(principalId, [this.#statement('Allow', options)], context, options);
  }

  /** API Gateway answers 403 (AccessDeniedException, `User is not authorized to access this resource`: obs aws/chalice#971). */
  deny(principalId: string, context?: AuthorizerContext, options?: PolicyOptions): AuthorizerResult {
    return this.policy(principalId, [this.#statement('Deny', options)], context, options);
  }

  /** A result from hand-made statements (write their resources with `this.resource('GET /posts/*')`). */
  policy(principalId: string, statements: AuthorizerPolicyStatement[], context?: AuthorizerContext, options: Pick<PolicyOptions, 'usageIdentifierKey'> = {}): AuthorizerResult {
    const result: AuthorizerResult = { principalId, policyDocument: { Version: '2012-10-17', Statement: statements } };
    if (context) result.context = checkedContext(context);
    if (options.usageIdentifierKey !== undefined) result.usageIdentifierKey = options.usageIdentifierKey;
    return result;
  }

  /** `'GET /posts/*'` → this stage's ARN for it; a full ARN is kept as it is. */
  resource(spec: string): string {
    if (spec.startsWith('arn:')) return spec;
    const match = /^(\S+)\s+\/(.*)$/.exec(spec.trim());
    if (!match) throw new Error(`authorizer resource "${spec}": write a verb (or *) and a path, as in "GET /posts/*", or a full execute-api ARN`);
    return `${stageArn(this.request.methodArn)}/${match[1]!.toUpperCase()}/${match[2]}`;
  }

  /** Stops here: API Gateway answers 401 `{"message":"Unauthorized"}`. */
  unauthorized(): never {
    throw new UnauthorizedSignal();
  }

  #statement(effect: 'Allow' | 'Deny', options: PolicyOptions = {}): AuthorizerPolicyStatement {
    // The whole stage by default: API Gateway caches the result per identity source, not per method,
    // so a policy naming only methodArn makes the cached answer deny the next route this authorizer
    // guards (obs serverless-projects/serverless-authorizers#1, aws-solutions/digital-evidence-archive-on-aws#65;
    // doc API Gateway Developer Guide, "Use API Gateway Lambda authorizers": with caching, make the
    // policy cover every resource and method). `/*/*` is what AWS's blueprint allowAllMethods() writes
    // (src awslabs/aws-apigateway-lambda-authorizer-blueprints, blueprints/nodejs/index.js).
    // A WebSocket API's methodArn has a route key where REST has a verb and a path (`…/<stage>/$connect`:
    // doc APIGW "Control access to WebSocket APIs with AWS Lambda REQUEST authorizers"), which `/*/*`
    // does not match: the stage's `/*` covers it.
    const everything = this.request.method.startsWith('$') ? `${stageArn(this.request.methodArn)}/*` : `${stageArn(this.request.methodArn)}/*/*`;
    const resources = options.resources?.map((spec) => this.resource(spec)) ?? [everything];
    return { Action: 'execute-api:Invoke', Effect: effect, Resource: resources };
  }
}

export type AuthorizerClass = new (request: AuthorizerRequest) => Authorizer;
export type AuthorizerHandler = (event: AuthorizerEvent, context: LambdaContext) => Promise<AuthorizerResult>;

/**
 * The Lambda handler of an authorizer class. `name` defaults to the class name; pass it when
 * bundling minifies class names away.
 */
export function createAuthorizerHandler(AuthorizerClass: AuthorizerClass, name = AuthorizerClass.name || 'Authorizer'): AuthorizerHandler {
  return async (event, context) => {
    try {
      const request = authorizerRequest(event);
      const result = await new AuthorizerClass(request).authorize(request, context);
      return checkedResult(result, name);
    } catch (error) {
      // API Gateway answers 401 only to a failed invocation whose message is exactly "Unauthorized";
      // any other failure is a 500 (obs middyjs/middy#1201: `throw Error('Unauthorized')` → "Gateway
      // response type: UNAUTHORIZED with status code: 401"; auth0-samples/jwt-rsa-aws-custom-authorizer#6:
      // any other text → 500; src aws-samples/serverless-patterns apigw-lambda-authorizer/src/tokenauthorizer.js).
      if (error instanceof UnauthorizedSignal) throw new Error('Unauthorized');
      console.error(`[sls-ts] authorizer ${name} failed:`, error);
      throw error;
    }
  };
}

function authorizerRequest(event: AuthorizerEvent): AuthorizerRequest {
  const { type, version } = (event ?? {}) as { type?: unknown; version?: unknown };
  // HTTP API's payload 2.0 events say REQUEST too, but carry routeArn and want another answer.
  if ((type !== 'TOKEN' && type !== 'REQUEST') || version === '2.0') {
    throw new TypeError(`sls-ts: expected a REST API authorizer event (type TOKEN or REQUEST)${version === '2.0' ? ', got an HTTP API payload 2.0 one: use payload format 1.0' : ''}`);
  }
  const { methodArn } = event;
  const parts = parseMethodArn(methodArn);
  if (event.type === 'TOKEN') {
    return { token: event.authorizationToken, headers: new HeaderMap({}), query: {}, multiQuery: {}, pathParameters: {}, stageVariables: {}, methodArn, ...parts, event };
  }
  // API Gateway fills both header maps; a hand-written event may fill only one of them.
  const multi = event.multiValueHeaders;
  return {
    token: undefined,
    headers: new HeaderMap(multi && Object.keys(multi).length > 0 ? multi : event.headers),
    query: event.queryStringParameters ?? {},
    multiQuery: event.multiValueQueryStringParameters ?? {},
    pathParameters: event.pathParameters ?? {},
    stageVariables: event.stageVariables ?? {},
    methodArn,
    ...parts,
    event,
  };
}

type ArnParts = Pick<AuthorizerRequest, 'region' | 'accountId' | 'apiId' | 'stage' | 'method' | 'path'>;

/** `arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request` → its parts (doc "Input to an API Gateway Lambda authorizer"). */
function parseMethodArn(methodArn: unknown): ArnParts {
  const fields = typeof methodArn === 'string' ? methodArn.split(':') : [];
  // The path may itself hold colons: everything after the fifth one is `<apiId>/<stage>/<VERB>/<path>`.
  const [apiId, stage, method, ...path] = fields.slice(5).join(':').split('/');
  if (fields[2] !== 'execute-api' || !apiId || !stage || !method) {
    throw new TypeError(`sls-ts: the authorizer event's methodArn ${JSON.stringify(methodArn)} is not arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/<VERB>/<path>`);
  }
  return { region: fields[3]!, accountId: fields[4]!, apiId, stage, method, path: `/${path.join('/')}` };
}

/** `arn:…:<apiId>/<stage>`, what every resource of a policy starts with. */
function stageArn(methodArn: string): string {
  return methodArn.split('/', 2).join('/');
}

function checkedContext(context: AuthorizerContext): Record<string, string | number | boolean> {
  const checked: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(context)) {
    if (value === undefined) continue;
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    // API Gateway rejects any other value with a 500 AuthorizerConfigurationException (doc "Output
    // from an API Gateway Lambda authorizer": no JSON object or array as a context value; obs
    // gist djm/15cf09b6b21c20332a602d3bca6b6d08: a nested object → AuthorizerConfigurationException).
    if (kind !== 'string' && kind !== 'number' && kind !== 'boolean') {
      throw new TypeError(`authorizer context "${key}" is ${kind === 'object' ? 'an object' : kind}: API Gateway accepts only strings, numbers and booleans there (it would answer 500) — pass JSON.stringify(value) or single fields`);
    }
    checked[key] = value;
  }
  return checked;
}

function checkedResult(result: AuthorizerResult | undefined, name: string): AuthorizerResult {
  if (!result || typeof result.principalId !== 'string' || !result.policyDocument) {
    throw new Error(`authorizer ${name} returned ${result === undefined ? 'nothing' : 'no principalId and policyDocument'}: return this.allow(principalId) or this.deny(principalId), or call this.unauthorized()`);
  }
  return result.context ? { ...result, context: checkedContext(result.context) } : result;
}
