// A Lambda authorizer's answer: checked as API Gateway checks it, then its IAM policy evaluated
// against a methodArn. — doc APIGW "Output from an API Gateway Lambda authorizer"; doc IAM policy
// evaluation logic (an explicit Deny overrides any Allow; nothing allowing → implicit deny).

interface Statement {
  effect: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
}

/** A well-formed answer: what the cache keeps. */
export interface AuthorizerAnswer {
  principalId: string;
  statements: Statement[];
  /** Context values already as the function sees them: strings on a REST API, as returned on an HTTP API. */
  context: Record<string, unknown>;
  usageIdentifierKey?: string;
}

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface ParseAnswerOptions {
  /**
   * 'strings' (REST): context values must be scalars and reach the function as strings. 'as-returned'
   * (HTTP API): any JSON value passes unchanged — doc APIGW "Control access to HTTP APIs with AWS Lambda
   * authorizers" (its example context holds `arrayKey` and `mapKey`); src/runtime/request-auth.ts.
   */
  context?: 'strings' | 'as-returned';
}

/** Checks a Lambda authorizer's serialised result; a string answer says why it is malformed (→ 500). */
export function parseAuthorizerAnswer(payload: string, options: ParseAnswerOptions = {}): AuthorizerAnswer | string {
  let result: unknown;
  try {
    result = JSON.parse(payload);
  } catch {
    return 'the authorizer returned something that is not JSON';
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return 'the authorizer must return an object with principalId and policyDocument';
  const record = result as Record<string, unknown>;
  if (typeof record.principalId !== 'string') return 'the authorizer result has no principalId string';
  const statements = parseStatements(record.policyDocument);
  if (typeof statements === 'string') return statements;
  const context = options.context === 'as-returned' ? rawContext(record.context) : parseContext(record.context);
  if (typeof context === 'string') return context;
  const answer: AuthorizerAnswer = { principalId: record.principalId, statements, context };
  if (typeof record.usageIdentifierKey === 'string') answer.usageIdentifierKey = record.usageIdentifierKey;
  return answer;
}

function parseStatements(document: unknown): Statement[] | string {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return 'the authorizer result has no policyDocument object';
  const raw = (document as Record<string, unknown>).Statement;
  // IAM's grammar: Statement is one statement or a list of them.
  const list = Array.isArray(raw) ? raw : raw !== undefined && raw !== null ? [raw] : undefined;
  if (!list) return 'the policyDocument has no Statement';
  const statements: Statement[] = [];
  for (const [index, item] of list.entries()) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return `policyDocument.Statement[${index}] is not an object`;
    const entry = item as Record<string, unknown>;
    if (entry.Effect !== 'Allow' && entry.Effect !== 'Deny') return `policyDocument.Statement[${index}].Effect must be "Allow" or "Deny"`;
    const statement: Statement = { effect: entry.Effect };
    for (const [key, field] of [['Action', 'actions'], ['NotAction', 'notActions'], ['Resource', 'resources'], ['NotResource', 'notResources']] as const) {
      if (entry[key] === undefined) continue;
      const values = stringList(entry[key]);
      if (!values) return `policyDocument.Statement[${index}].${key} must be a string or a list of strings`;
      statement[field] = values;
    }
    if (!statement.actions && !statement.notActions) return `policyDocument.Statement[${index}] has no Action`;
    if (!statement.resources && !statement.notResources) return `policyDocument.Statement[${index}] has no Resource`;
    statements.push(statement);
  }
  return statements;
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function rawContext(context: unknown): Record<string, unknown> | string {
  if (context === undefined || context === null) return {};
  return typeof context === 'object' && !Array.isArray(context) ? (context as Record<string, unknown>) : 'the authorizer result context must be an object';
}

/**
 * Context values reach the function as strings; an object or array makes API Gateway answer 500. —
 * doc APIGW "Output from … Lambda authorizer" ("you cannot set a JSON object or array as a valid value
 * of any key"; stringKey/numberKey/booleanKey stringified to "value", "1", "true"). A null value is
 * dropped (inf: floci-io/floci#581 omits it; not measured on AWS).
 */
function parseContext(context: unknown): Record<string, string> | string {
  if (context === undefined || context === null) return {};
  if (typeof context !== 'object' || Array.isArray(context)) return 'the authorizer result context must be an object';
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) {
    if (value === null) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return `context.${key} is ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}; only strings, numbers and booleans are allowed`;
    }
    values[key] = String(value);
  }
  return values;
}

/** Evaluates the answer's policy for `execute-api:Invoke` on `arn`: explicit Deny wins, then any Allow. */
export function evaluatePolicy(statements: readonly Statement[], arn: string): PolicyDecision {
  let allowed = false;
  for (const statement of statements) {
    if (!appliesTo(statement, arn)) continue;
    if (statement.effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

const ACTION = 'execute-api:Invoke';

// NotAction/NotResource: the statement covers everything the list does not (IAM grammar; sent by
// authorizers in the wild — aws/aws-lambda-dotnet#2165 added NotResource for exactly this).
function appliesTo(statement: Statement, arn: string): boolean {
  const action = statement.actions
    ? statement.actions.some((pattern) => matches(pattern, ACTION, true))
    : !statement.notActions!.some((pattern) => matches(pattern, ACTION, true));
  if (!action) return false;
  return statement.resources
    ? statement.resources.some((pattern) => matches(pattern, arn, false))
    : !statement.notResources!.some((pattern) => matches(pattern, arn, false));
}

/** IAM wildcards: `*` any run of characters (across `/` and `:` too), `?` one character. Actions ignore case. */
function matches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}
