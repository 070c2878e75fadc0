// Environment values that name a secret instead of holding it: `ssm:/path` and `secret:name:key`
// become CloudFormation dynamic references ({{resolve:…}}), which CloudFormation fills in when it
// creates or updates the function, so the value is never written into a template, the artifacts
// bucket or the stack's console. CloudFormation resolves them with the deployer's permissions:
// the function's role needs nothing for them.
//
// Grammar (AWS: CloudFormation "dynamic references"):
//   ssm:<parameter-name>[:<version>]          → {{resolve:ssm:<parameter-name>[:<version>]}}
//     parameter-name [a-zA-Z0-9_.-/]+, version digits (AWS's pattern for ssm references)
//   secret:<secret-id>                        → {{resolve:secretsmanager:<secret-id>}}  (the whole SecretString)
//   secret:<secret-id>:<json-key>[:<stage>]   → {{resolve:secretsmanager:<secret-id>:SecretString:<json-key>[:<stage>]}}
//     secret-id: a secret name [A-Za-z0-9/_+=.@-]+ or its full ARN; json-key and stage: no colon
//     (json-key may be empty when a stage is given: the whole SecretString of that stage)
// `ssm-secure:` is refused: CloudFormation resolves ssm-secure only in a short list of resource
// properties, and Lambda environment variables are not among them.

export interface EnvReference {
  service: 'ssm' | 'secretsmanager';
  /** What the template carries: `{{resolve:ssm:/app/db-host}}`. */
  dynamic: string;
}

export interface EnvReferenceProblem {
  problem: string;
  hint: string;
}

const SSM_NAME = /^[a-zA-Z0-9_.\-/]+$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]+$/;
const SECRET_ARN = /^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
// A segment of a dynamic reference: no colon (the separator), no braces, no spaces.
const SEGMENT = /^[^:{}\s]+$/;

const SSM_HINT = 'write ssm:/path/to/parameter, or ssm:/path/to/parameter:3 for version 3';
const SECRET_HINT = 'write secret:<name>, secret:<name>:<json-key>, or secret:<name>:<json-key>:<version-stage> (a full secret ARN works as the name)';


function parseSsm(rest: string): EnvReference | EnvReferenceProblem {
  const [name = '', version, ...extra] = rest.split(':');
  if (!SSM_NAME.test(name)) return { problem: 'is an ssm: reference with no valid parameter name (letters, digits and _ . - / only)', hint: SSM_HINT };
  if (extra.length > 0 || (version !== undefined && !/^\d+$/.test(version))) return { problem: 'is an ssm: reference whose version is not a number', hint: SSM_HINT };
  return { service: 'ssm', dynamic: `{{resolve:ssm:${name}${version === undefined ? '' : `:${version}`}}}` };
}

function parseSecret(rest: string): EnvReference | EnvReferenceProblem {
  const parts = rest.split(':');
  // An ARN has colons of its own: arn:partition:secretsmanager:region:account:secret:name.
  const idParts = parts[0] === 'arn' ? 7 : 1;
  const id = parts.slice(0, idParts).join(':');
  const [key, stage, ...extra] = parts.slice(idParts);
  if (!(idParts === 7 ? SECRET_ARN : SECRET_NAME).test(id)) {
    return { problem: 'is a secret: reference with no valid secret name or ARN', hint: SECRET_HINT };
  }
  if (extra.length > 0) return { problem: 'is a secret: reference with too many parts', hint: SECRET_HINT };
  if (key === undefined) return { service: 'secretsmanager', dynamic: `{{resolve:secretsmanager:${id}}}` };
  const keyOk = key === '' ? stage !== undefined : SEGMENT.test(key) && !key.endsWith('\\');
  if (!keyOk || (stage !== undefined && (!SEGMENT.test(stage) || stage.endsWith('\\')))) {
    return { problem: 'is a secret: reference with an empty or invalid JSON key or version stage', hint: SECRET_HINT };
  }
  const tail = stage === undefined ? '' : `:${stage}`;
  return { service: 'secretsmanager', dynamic: `{{resolve:secretsmanager:${id}:SecretString:${key}${tail}}}` };
}

/** The dynamic reference a value stands for, why it is malformed, or undefined for a plain value. */
export function parseEnvReference(value: string): EnvReference | EnvReferenceProblem | undefined {
  if (value.startsWith('ssm-secure:')) {
    return {
      problem: 'is an ssm-secure: reference, which CloudFormation cannot put into a Lambda environment variable',
      hint: 'store the value in Secrets Manager and write secret:<name>, or read the SecureString parameter at runtime with the AWS SDK',
    };
  }
  if (value.startsWith('ssm:')) return parseSsm(value.slice('ssm:'.length));
  if (value.startsWith('secret:')) return parseSecret(value.slice('secret:'.length));
  return undefined;
}

/** What a variable's value becomes in the template: its dynamic reference, or the value itself. */
export function templateEnvValue(value: string): string {
  const parsed = parseEnvReference(value);
  return parsed && 'dynamic' in parsed ? parsed.dynamic : value;
}
