// Name rules for generators: every name a user types is checked here, before anything renders,
// so a bad name fails with the rule it broke instead of producing code that does not compile.
import pluralize from 'pluralize';
import { kebabCase, pascalCase } from '../router/naming.js';
import { SlsError } from '../shared/errors.js';
import { closestMatch } from '../shared/suggest.js';

export { kebabCase, pascalCase };

export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

// pluralize works on the whole string, but its rules are anchored at the end, so `blog-post`
// becomes `blog-posts`: only the last word changes, as in Rails.
export const pluralOf = (word: string): string => pluralize.plural(word);
export const singularOf = (word: string): string => pluralize.singular(word);

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_-]*$/;
const IDENTIFIER_RULE = 'start with a letter, then letters, digits, hyphens or underscores';

/** `what` names the argument in messages: "controller name", "field name"… */
export function checkIdentifier(value: string, what: string): void {
  if (value === '') throw new SlsError({ text: `the ${what} is empty`, hint: `a ${what} must ${IDENTIFIER_RULE}` });
  if (!IDENTIFIER.test(value)) {
    const suggestion = kebabCase(value.replace(/[^A-Za-z0-9_-]+/g, '-')).replace(/^[^a-z]+|-+$/g, '');
    throw new SlsError({
      text: `${JSON.stringify(value)} is not a valid ${what}: it must ${IDENTIFIER_RULE}`,
      hint: suggestion ? `try ${suggestion}` : `e.g. ${what.includes('field') ? 'title' : 'posts'}`,
    });
  }
  // `foo--bar` or a trailing hyphen would survive as file names but not as class names.
  if (/[-_]{2,}|[-_]$/.test(value)) {
    throw new SlsError({ text: `${JSON.stringify(value)} is not a valid ${what}: hyphens and underscores must separate words`, hint: `try ${kebabCase(value).replace(/-+/g, '-').replace(/-$/, '')}` });
  }
}

/** `Admin/Stats`, `admin/stats` → `admin/stats`: each part checked, then kebab-cased. */
export function checkControllerName(value: string): string {
  const parts = value.split('/');
  for (const part of parts) checkIdentifier(part, 'controller name');
  const key = parts.map(kebabCase).join('/');
  // A controller named `FooController` means `foo`: the suffix is added by the generator.
  return key.replace(/-controller$/, '') || key;
}

// Members of Controller (and Object.prototype) that an action would shadow; the runtime refuses
// to dispatch to them, so a generated action with one of these names could never be reached.
const CONTROLLER_MEMBERS = [
  'constructor', 'request', 'context', 'route', 'actionName', 'response', 'event', 'params', 'cookies',
  'setHeader', 'json', 'text', 'html', 'send', 'redirect', 'head', 'before', 'after', 'rescueFrom',
];

/** `show`, `list_all`, `list-all` → `show`, `listAll` (the method name). */
export function checkActionName(value: string): string {
  checkIdentifier(value, 'action name');
  const method = camelCase(value);
  if (CONTROLLER_MEMBERS.includes(method) || method in Object.prototype) {
    throw new SlsError({
      text: `"${value}" cannot be an action name: it would shadow Controller#${method}`,
      hint: `choose another name, e.g. ${method}Page`,
    });
  }
  return method;
}

export const FIELD_TYPES = ['string', 'text', 'number', 'boolean', 'date'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface Field {
  /** camelCase property name. */
  name: string;
  type: FieldType;
}

// Every record already has these; a field with one of these names would clash with them.
const RECORD_KEYS = ['id', 'createdAt', 'updatedAt'];

/** `title:string body:text` → fields; a missing type means string, as in Rails. */
export function parseFields(args: readonly string[]): Field[] {
  if (args.length === 0) {
    throw new SlsError({ text: 'a scaffold needs at least one field', hint: 'e.g. sls-ts generate scaffold posts title:string body:text' });
  }
  const fields: Field[] = [];
  for (const arg of args) {
    const [rawName = '', rawType = 'string', ...rest] = arg.split(':');
    if (rest.length > 0) throw new SlsError({ text: `"${arg}" is not a field: write name:type`, hint: `types: ${FIELD_TYPES.join(', ')}` });
    checkIdentifier(rawName, 'field name');
    const name = camelCase(rawName);
    if (!(FIELD_TYPES as readonly string[]).includes(rawType)) {
      const near = closestMatch(rawType, FIELD_TYPES);
      throw new SlsError({
        text: `field "${rawName}" has an unknown type "${rawType}"`,
        hint: `${near ? `did you mean ${near}? ` : ''}types: ${FIELD_TYPES.join(', ')}`,
      });
    }
    if (RECORD_KEYS.includes(name)) {
      throw new SlsError({ text: `"${rawName}" cannot be a field: every record has ${RECORD_KEYS.join(', ')} already`, hint: 'choose another name' });
    }
    if (fields.some((field) => field.name === name)) {
      throw new SlsError({ text: `field "${name}" is given twice`, hint: 'name each field once' });
    }
    fields.push({ name, type: rawType as FieldType });
  }
  return fields;
}

/** `Posts`, `post`, `blog_posts` → `blog-posts` / `blog-post`: the two forms a resource needs. */
export function checkResourceName(value: string): { plural: string; singular: string } {
  checkIdentifier(value, 'resource name');
  const kebab = kebabCase(value);
  const plural = pluralOf(kebab);
  const singular = singularOf(kebab);
  if (plural === singular) {
    throw new SlsError({
      text: `"${value}" has the same singular and plural form, so a record and the collection would share a name`,
      hint: `choose a countable name, e.g. ${kebab}-items or articles`,
    });
  }
  return { plural, singular };
}

/** `CleanupJob`, `cleanup-job`, `cleanup` → `cleanup` (the suffix is added by the generator). */
export function checkJobName(value: string): string {
  checkIdentifier(value, 'job name');
  const kebab = kebabCase(value);
  return kebab === 'job' ? kebab : kebab.replace(/-job$/, '');
}

/** `admin` for Admin, AdminAuthorizer or admin-authorizer: the name routes give it (`{ auth: 'admin' }`). */
export function checkAuthorizerName(value: string): string {
  checkIdentifier(value, 'authorizer name');
  const kebab = kebabCase(value);
  if (kebab === 'iam') throw new SlsError({ text: 'an authorizer cannot be named "iam"', hint: "routes use auth: 'iam' for AWS_IAM; choose another name" });
  return kebab === 'authorizer' ? kebab : kebab.replace(/-authorizer$/, '');
}

/** `chat` for Chat, ChatChannel or chat-channel: the channel's name (its URL path, ws://…/chat). */
export function checkChannelName(value: string): string {
  checkIdentifier(value, 'channel name');
  const kebab = kebabCase(value);
  return kebab === 'channel' ? kebab : kebab.replace(/-channel$/, '');
}

export function checkFunctionName(value: string): string {
  checkIdentifier(value, 'function name');
  return kebabCase(value);
}

// What the generated code puts between quotes: nothing that needs escaping, and what
// API Gateway accepts in a path (checked in full when the routes compile).
const ROUTE_PATH = /^\/(?:[A-Za-z0-9._~-]+|:[A-Za-z_][A-Za-z0-9_]*|\*[A-Za-z_][A-Za-z0-9_]*)?(?:\/(?:[A-Za-z0-9._~-]+|:[A-Za-z_][A-Za-z0-9_]*|\*[A-Za-z_][A-Za-z0-9_]*))*$/;

export function checkRoutePath(path: string): string {
  if (!ROUTE_PATH.test(path)) {
    throw new SlsError({
      text: `--route ${JSON.stringify(path)} is not a route path`,
      hint: 'start with / and use letters, digits, . _ ~ - and :param or *greedy parts, e.g. /hello/:name',
    });
  }
  return path;
}

/** The methods `generate function --method` offers (the routes DSL has head/options too, rarely wanted for a function). */
export const ROUTE_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'any'] as const;

export function checkRouteMethod(value: string): string {
  const method = value.toLowerCase();
  if (!(ROUTE_METHODS as readonly string[]).includes(method)) {
    const near = closestMatch(method, ROUTE_METHODS);
    throw new SlsError({ text: `--method ${JSON.stringify(value)} is not a route method`, hint: `${near ? `did you mean ${near}? ` : ''}use one of: ${ROUTE_METHODS.join(', ')}` });
  }
  return method;
}

const RATE = /^([1-9]\d*) (minute|minutes|hour|hours|day|days)$/;

/** A quick check of `--rate` (the runtime's rate() checks again when the job loads). */
export function checkRate(value: string): string {
  const text = value.trim().replace(/^rate\((.*)\)$/, '$1').trim();
  const match = RATE.exec(text);
  const singular = match?.[1] === '1';
  if (!match || singular !== !match[2]!.endsWith('s')) {
    throw new SlsError({
      text: `--rate ${JSON.stringify(value)} is not a rate`,
      hint: 'write "<value> <unit>" with minute(s), hour(s) or day(s), singular only for 1: "1 day", "5 minutes"',
    });
  }
  return text;
}

/** A quick check of `--cron`: EventBridge's six fields (the runtime's cron() checks each field). */
export function checkCron(value: string): string {
  const text = value.trim().replace(/^cron\((.*)\)$/, '$1').trim();
  const fields = text.split(/\s+/);
  if (fields.length !== 6 || !/^[0-9A-Za-z*?,/#L W-]+$/.test(text)) {
    throw new SlsError({
      text: `--cron ${JSON.stringify(value)} is not an EventBridge cron expression`,
      hint: 'six fields: minutes hours day-of-month month day-of-week year, e.g. "0 12 * * ? *"',
    });
  }
  return fields.join(' ');
}
