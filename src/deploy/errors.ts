// Turns what the SDK throws into one clear line with a hint; everything the user can fix
// (credentials, region, permissions, an unreachable endpoint) becomes an SlsError here.
import { SlsError, isSlsError } from '../shared/errors.js';
import { definedProfiles, sharedFiles } from './profiles.js';
import { redactSecrets } from './redact.js';

interface AwsLikeError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

export function errorName(error: unknown): string {
  const e = (error ?? {}) as AwsLikeError;
  return e.name ?? e.Code ?? e.code ?? '';
}

export function errorMessage(error: unknown): string {
  return (error as AwsLikeError | undefined)?.message ?? String(error);
}

function statusCode(error: unknown): number | undefined {
  return (error as AwsLikeError | undefined)?.$metadata?.httpStatusCode;
}

/** S3 answers a HEAD of a missing key with a bare 404, which the SDK names NotFound. */
export function isNotFound(error: unknown): boolean {
  const name = errorName(error);
  return ['NotFound', 'NoSuchKey', 'NoSuchBucket', 'ResourceNotFoundException'].includes(name) || (statusCode(error) === 404 && !isSlsError(error));
}

/** CloudFormation reports a missing stack as a ValidationError with this message. */
export function isStackMissing(error: unknown): boolean {
  return errorName(error) === 'ValidationError' && /does not exist/i.test(errorMessage(error));
}

export function isThrottling(error: unknown): boolean {
  const name = errorName(error);
  return /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|RequestThrottled/i.test(name) || /Rate exceeded/i.test(errorMessage(error));
}

const CREDENTIAL_HINT = 'set AWS_PROFILE or pass --profile (run `aws sso login` for an SSO profile), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';

/** The user-facing error for an SDK failure, or undefined when it is a bug or something unexpected. */
export function describeAwsError(error: unknown, action?: string): SlsError | undefined {
  if (isSlsError(error)) return error;
  const name = errorName(error);
  const message = errorMessage(error);
  const doing = action ? ` (${action})` : '';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    const missing = describeMissingProfile(error);
    if (missing) return missing;
    return new SlsError({ text: `no AWS credentials found${doing}: ${message}`, hint: CREDENTIAL_HINT }, { cause: error });
  }
  if (name === 'TokenProviderError' || /SSO session.*(expired|invalid)|token.*expired/i.test(message)) {
    return new SlsError({ text: `the AWS SSO session has expired${doing}`, hint: 'run `aws sso login` (with --profile if you use one) and try again' }, { cause: error });
  }
  if (/Region is missing/i.test(message)) {
    return new SlsError({ text: 'no AWS region set', hint: 'set region in sls-ts.config.ts, pass --region, or set AWS_REGION' }, { cause: error });
  }
  if (['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'].includes(name)) {
    return new SlsError({ text: `the AWS credentials have expired${doing}`, hint: 'refresh them (aws sso login, or new temporary keys) and try again' }, { cause: error });
  }
  if (['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'InvalidAccessKeyId', 'IncompleteSignature'].includes(name)) {
    return new SlsError({ text: `AWS rejected the credentials${doing}: ${message}`, hint: CREDENTIAL_HINT }, { cause: error });
  }
  if (['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation'].includes(name) || /not authorized to perform/i.test(message)) {
    return new SlsError({ text: `access denied${doing}: ${message}`, hint: 'the identity deploying needs this permission; see the action named in the message' }, { cause: error });
  }
  const busy = describeBusy(error, action);
  if (busy) return busy;
  const unreadable = describeUnreadableAnswer(error);
  if (unreadable) return new SlsError({ text: `${action ? `${action} failed: ` : ''}${unreadable}`, hint: UNREADABLE_HINT }, { cause: error });
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ECONNRESET' || name === 'TimeoutError') {
    const override = process.env.AWS_ENDPOINT_URL ? ` (AWS_ENDPOINT_URL is ${process.env.AWS_ENDPOINT_URL})` : '';
    const unresolved = override ? undefined : describeUnresolvedRegion(error, doing);
    if (unresolved) return unresolved;
    return new SlsError({ text: `cannot reach AWS${doing}${override}: ${message}`, hint: 'check the network, or the endpoint override in AWS_ENDPOINT_URL' }, { cause: error });
  }
  return undefined;
}

/** Runs a deploy step and converts SDK failures the user can act on into SlsErrors. */
export async function withAwsErrors<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw describeAwsError(error, action) ?? wrapUnknown(error, action);
  }
}

/** Any other AWS service error still deserves one line, not a stack trace. */
function wrapUnknown(error: unknown, action: string): unknown {
  const name = errorName(error);
  const aws = (error as AwsLikeError | undefined)?.$metadata !== undefined;
  if (!aws) return error;
  // "CloudFormation CreateChangeSet: " when the client stamped it (clients.ts): a deploy makes hundreds of calls.
  const operation = (error as { $operation?: string }).$operation;
  return new SlsError({ text: `${action} failed: ${operation ? `${operation}: ` : ''}${name ? `${name}: ` : ''}${redactSecrets(errorMessage(error))}` }, { cause: error });
}

const UNREADABLE_HINT = 'the endpoint did not answer the way AWS does; if AWS_ENDPOINT_URL points at an emulator, it may not support this call';
const EXCERPT_CHARS = 200;

/**
 * When the SDK could not parse an answer at all (an emulator's JSON where AWS sends XML, a proxy's
 * HTML page) its own message ("XML parse error: unexpected content … inspect {error}.$response")
 * is useless to a user: name the call, the status and the start of what came back instead.
 */
function describeUnreadableAnswer(error: unknown): string | undefined {
  const e = error as AwsLikeError & { $responseBodyText?: unknown; $operation?: string };
  // Only the SDK's own marks: CloudFormation's parsed "Template format error: … parse error" is a real answer.
  const deserialization = typeof e.$responseBodyText === 'string' || /Deserialization error: to see the raw response/.test(e.message ?? '');
  if (!deserialization) return undefined;
  const operation = e.$operation ?? 'an AWS call';
  const status = e.$metadata?.httpStatusCode;
  const body = typeof e.$responseBodyText === 'string' ? e.$responseBodyText.replace(/\s+/g, ' ').trim() : '';
  const excerpt = body.length > EXCERPT_CHARS ? `${body.slice(0, EXCERPT_CHARS)}…` : body;
  const answered = status === undefined ? 'answered' : `answered HTTP ${status}`;
  return `${operation} ${answered} with a body the AWS SDK could not read: ${redactSecrets(excerpt) || '(empty)'}`;
}

const THROTTLED_HINT = 'too many AWS calls at once in this account and region (other deploys, scripts): wait a minute and run it again';
const STACK_BUSY_HINT = 'another deploy or delete of this stage is running: follow it with `sls-ts status` (same --stage), and run it again when it has finished';
const FUNCTION_BUSY_HINT = 'Lambda takes one change at a time per function: wait for it to finish (another deploy, or a change in the console), then run it again';

/**
 * Throttling that outlasted the SDK's retries, and another operation holding the stack or a
 * function: nothing is wrong with the app, so say what is busy and that waiting is the fix.
 */
function describeBusy(error: unknown, action: string | undefined): SlsError | undefined {
  const name = errorName(error);
  const message = errorMessage(error);
  const operation = (error as { $operation?: string } | undefined)?.$operation;
  const call = operation ? `${operation}: ` : '';
  if (isThrottling(error)) {
    return new SlsError({ text: `AWS throttled the ${action ?? 'request'} (${call}${redactSecrets(message)})`, hint: THROTTLED_HINT }, { cause: error });
  }
  const stackBusy = /(\w+_IN_PROGRESS) state and can ?not be updated/i.exec(message);
  if (stackBusy) {
    const stack = /stack\/([^/\s]+)\//.exec(message)?.[1] ?? 'the stack';
    return new SlsError({ text: `another operation is running on ${stack} (${stackBusy[1]})${action ? `: the ${action} cannot start` : ''}`, hint: STACK_BUSY_HINT }, { cause: error });
  }
  if (name === 'ResourceConflictException') {
    const fn = /function:([^:\s]+)/.exec(message)?.[1] ?? 'the function';
    return new SlsError({ text: `another operation is changing ${fn} (${call}${name})${action ? ` during the ${action}` : ''}`, hint: FUNCTION_BUSY_HINT }, { cause: error });
  }
  return undefined;
}

/**
 * The SDK says "could not load credentials" for a profile that does not exist at all, and our
 * usual hint ("pass --profile") then points the wrong way: say where the SDK looked instead.
 */
function describeMissingProfile(error: unknown): SlsError | undefined {
  // --profile sets AWS_PROFILE for the SDK (cli/context.ts), so this is the profile in use either way.
  const profile = process.env.AWS_PROFILE;
  if (!profile) return undefined;
  const files = sharedFiles();
  const known = definedProfiles(files);
  if (known.includes(profile)) return undefined;
  const hint = known.length > 0 ? `the profiles there are ${known.join(', ')}; check the name, or create it with \`aws configure --profile ${profile}\`` : `no profile is defined there: create it with \`aws configure --profile ${profile}\` (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE choose other files)`;
  return new SlsError({ text: `AWS profile "${profile}" (--profile or AWS_PROFILE) is not in ${files.config} nor in ${files.credentials}`, hint }, { cause: error });
}

/** How a region is written: us-east-1, ap-southeast-2, us-gov-west-1, cn-north-1. */
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * A region AWS does not have makes the SDK build a host name that does not exist, and Node says
 * only "getaddrinfo ENOTFOUND cloudformation.mars-1.amazonaws.com": name the region and where it is set.
 */
function describeUnresolvedRegion(error: unknown, doing: string): SlsError | undefined {
  const code = (error as { code?: string }).code;
  if (code !== 'ENOTFOUND' && code !== 'EAI_AGAIN') return undefined;
  const host = (error as { hostname?: string }).hostname ?? /getaddrinfo \w+ (\S+)/.exec(errorMessage(error))?.[1];
  const region = host && /\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1];
  if (!host || !region) return undefined;
  const where = 'set by --region, the config\'s region, AWS_REGION or the profile';
  const hint = REGION_SHAPE.test(region)
    ? `is "${region}" a region AWS has (${where})? If it is, check the network and DNS`
    : `"${region}" is not an AWS region (${where}); use one such as us-east-1 or eu-west-1`;
  return new SlsError({ text: `cannot reach AWS${doing}: ${host} does not resolve`, hint }, { cause: error });
}
