// Checks for single settings. Each records problems on the report and never throws, so the
// validator can walk on and report everything in one run.
import { closestMatch } from '../shared/suggest.js';
import {
  CORS_METHODS, DESCRIPTION_MAX, ENV_NAME, ENV_NAME_HINT, LOG_RETENTION_DAYS, MEDIA_TYPE, REGION, TAG_KEY_MAX, TAG_TEXT,
  TAG_VALUE_MAX, TAGS_MAX, isReservedEnvName, reservedEnvHint,
} from './limits.js';
import { isPlainObject } from '../shared/objects.js';
import { parseEnvReference } from './env-references.js';
import { describeValue, type ConfigReport, type KeyPath } from './report.js';

export type Check = (value: unknown, path: KeyPath, report: ConfigReport) => void;

const lastKey = (path: KeyPath): string => String(path[path.length - 1] ?? 'value');

export function checkInteger(range: { min: number; max: number }, unit: string, why: string): Check {
  return (value, path, report) => {
    if (typeof value !== 'number') {
      const hint = typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
        ? `write it without quotes: ${lastKey(path)}: ${Number(value)}`
        : why;
      report.error(path, `must be a number of ${unit}, got ${describeValue(value)}`, hint);
    } else if (!Number.isInteger(value) || value < range.min || value > range.max) {
      report.error(path, `must be a whole number of ${unit} from ${range.min} to ${range.max}, got ${value}`, why);
    }
  };
}

export function checkOneOf(allowed: readonly string[], hint: string): Check {
  return (value, path, report) => {
    if (typeof value === 'string' && allowed.includes(value)) return;
    const near = typeof value === 'string' ? closestMatch(value, allowed) : undefined;
    report.error(path, `must be one of ${allowed.join(', ')}, got ${describeValue(value)}`, near ? `did you mean '${near}'? ${hint}` : hint);
  };
}

export const checkBoolean: Check = (value, path, report) => {
  if (typeof value !== 'boolean') report.error(path, `must be true or false, got ${describeValue(value)}`, 'write it without quotes');
};

export function checkStringList(hint: string, item?: { pattern: RegExp; text: string }): Check {
  return (value, path, report) => {
    if (!Array.isArray(value)) {
      report.error(path, `must be an array of strings, got ${describeValue(value)}`, hint);
      return;
    }
    value.forEach((entry: unknown, index) => {
      if (typeof entry !== 'string') report.error([...path, index], `must be a string, got ${describeValue(entry)}`, hint);
      else if (item && !item.pattern.test(entry)) report.error([...path, index], `${item.text}, got ${describeValue(entry)}`, hint);
    });
  };
}

export const checkRegion: Check = (value, path, report) => {
  if (typeof value !== 'string' || !REGION.test(value)) {
    report.error(path, `must be an AWS region such as us-east-1, got ${describeValue(value)}`, 'write the region code, e.g. us-east-1, eu-west-1, ap-southeast-2');
  }
};

export const checkDescription: Check = (value, path, report) => {
  if (typeof value !== 'string') report.error(path, `must be a string, got ${describeValue(value)}`, 'describe the function in a sentence');
  else if (value.length > DESCRIPTION_MAX) {
    report.error(path, `must be at most ${DESCRIPTION_MAX} characters, got ${value.length}`, 'Lambda limits descriptions to 256 characters');
  }
};

export const checkLogRetention: Check = (value, path, report) => {
  if (typeof value === 'number' && LOG_RETENTION_DAYS.includes(value)) return;
  const nearest = typeof value === 'number'
    ? LOG_RETENTION_DAYS.reduce((best, days) => (Math.abs(days - value) < Math.abs(best - value) ? days : best))
    : undefined;
  report.error(
    path,
    `must be a number of days CloudWatch Logs accepts, got ${describeValue(value)}`,
    `use one of ${LOG_RETENTION_DAYS.join(', ')}${nearest === undefined ? '' : ` (nearest: ${nearest})`}`,
  );
};

export const checkBinaryMediaTypes = checkStringList("list media types such as 'image/png', 'image/*' or '*/*'", {
  pattern: MEDIA_TYPE,
  text: 'must be a media type shaped type/subtype',
});

export const checkEnv: Check = (value, path, report) => {
  if (!isPlainObject(value)) {
    report.error(path, `must be an object of NAME: 'value' pairs, got ${describeValue(value)}`, "write env: { LOG_LEVEL: 'debug' }");
    return;
  }
  for (const [name, entry] of Object.entries(value)) {
    const at = [...path, name];
    if (isReservedEnvName(name)) {
      report.error(at, 'is reserved by Lambda', reservedEnvHint(name));
    } else if (!ENV_NAME.test(name)) {
      report.error(at, 'is not a valid environment variable name', ENV_NAME_HINT);
    }
    if (entry === undefined) {
      report.error(at, 'is undefined', 'a variable read from process.env is probably unset: set it, or write a fallback (?? \'\')');
    } else if (typeof entry !== 'string') {
      report.error(at, `must be a string, got ${describeValue(entry)}`, `Lambda environment values are strings: quote it, ${name}: '${String(entry)}'`);
    } else {
      // The value itself is never quoted: a malformed reference may be a secret pasted whole.
      const reference = parseEnvReference(entry);
      if (reference && 'problem' in reference) report.error(at, reference.problem, reference.hint);
    }
  }
};

export const checkTags: Check = (value, path, report) => {
  if (!isPlainObject(value)) {
    report.error(path, `must be an object of key: 'value' pairs, got ${describeValue(value)}`, "write tags: { team: 'web' }");
    return;
  }
  const entries = Object.entries(value);
  if (entries.length > TAGS_MAX) {
    report.error(path, `has ${entries.length} tags, AWS allows at most ${TAGS_MAX}`, 'drop or combine some tags');
  }
  for (const [key, tag] of entries) {
    const at = [...path, key];
    if (key.length === 0 || key.length > TAG_KEY_MAX) {
      report.error(at, `tag keys must be 1 to ${TAG_KEY_MAX} characters long, got ${key.length}`, 'shorten the key');
    } else if (key.toLowerCase().startsWith('aws:')) {
      report.error(at, 'tag keys must not start with aws:', 'AWS reserves the aws: prefix for its own tags; pick another prefix');
    } else if (!TAG_TEXT.test(key)) {
      report.error(at, 'tag key has characters AWS does not accept', 'use letters, digits, spaces and + - = . _ : / @');
    }
    if (typeof tag !== 'string') {
      report.error(at, `must be a string, got ${describeValue(tag)}`, `tag values are strings: quote it, '${String(tag)}'`);
    } else if (tag.length > TAG_VALUE_MAX) {
      report.error(at, `tag values must be at most ${TAG_VALUE_MAX} characters, got ${tag.length}`, 'shorten the value');
    } else if (!TAG_TEXT.test(tag)) {
      report.error(at, 'tag value has characters AWS does not accept', 'use letters, digits, spaces and + - = . _ : / @');
    }
  }
};

const CORS_KEYS = ['origins', 'headers', 'methods', 'credentials', 'maxAge'];
const ORIGIN = /^https?:\/\/[^/\s]+$/;

const checkOrigins: Check = (value, path, report) => {
  if (value === '*') return;
  const hint = "write '*' or a list such as ['https://example.com'] (scheme and host, no path)";
  if (!Array.isArray(value)) {
    report.error(path, `must be '*' or an array of origins, got ${describeValue(value)}`, hint);
    return;
  }
  // An empty list would leave static answers (preflights, gateway errors) no origin to name.
  if (value.length === 0) report.error(path, 'must list at least one origin', hint);
  value.forEach((origin: unknown, index) => {
    if (typeof origin !== 'string') report.error([...path, index], `must be a string, got ${describeValue(origin)}`, hint);
    else if (origin !== '*' && !ORIGIN.test(origin)) {
      // Browsers send Origin without a path or trailing slash, so such an entry never matches.
      const trimmed = origin.replace(/\/+$/, '');
      const fix = trimmed !== origin && ORIGIN.test(trimmed) ? `write '${trimmed}': browsers send the origin without a trailing slash` : hint;
      report.error([...path, index], `must be an origin like https://example.com, got ${describeValue(origin)}`, fix);
    }
  });
};

export const checkCors: Check = (value, path, report) => {
  if (typeof value === 'boolean') return;
  if (!isPlainObject(value)) {
    report.error(path, `must be true, false or an object, got ${describeValue(value)}`, "write cors: true, or cors: { origins: ['https://example.com'] }");
    return;
  }
  report.unknownKeys(value, CORS_KEYS, path, 'cors');
  if ('origins' in value) checkOrigins(value.origins, [...path, 'origins'], report);
  if ('headers' in value) checkStringList("list header names such as ['Content-Type', 'Authorization']")(value.headers, [...path, 'headers'], report);
  if ('methods' in value) {
    checkStringList(`list methods among ${CORS_METHODS.join(', ')}`, { pattern: /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|\*)$/, text: 'must be an uppercase HTTP method' })(value.methods, [...path, 'methods'], report);
  }
  if ('credentials' in value) checkBoolean(value.credentials, [...path, 'credentials'], report);
  if ('maxAge' in value) checkInteger({ min: 0, max: 86400 }, 'seconds', 'how long browsers may cache a preflight response, in seconds')(value.maxAge, [...path, 'maxAge'], report);
};

/** Browsers refuse credentialed responses from a wildcard origin, so the pair is never useful. */
export function checkCorsCredentials(cors: unknown, path: KeyPath, report: ConfigReport): void {
  if (!isPlainObject(cors) || cors.credentials !== true) return;
  if (cors.origins === undefined || cors.origins === '*') {
    report.error([...path, 'credentials'], "cannot be true while origins is '*'", "browsers reject credentials with a wildcard origin: list the origins, e.g. origins: ['https://app.example.com']");
  }
}
