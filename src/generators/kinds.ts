// What each generator makes: its blueprint, the data the templates get, the routes it adds, and
// how `destroy` recognises those routes again. Pure: no file is read or written here.
import { SlsError } from '../shared/errors.js';
import {
  camelCase, checkActionName, checkAuthorizerName, checkChannelName, checkControllerName, checkCron, checkFunctionName, checkJobName, checkRate,
  checkResourceName, checkRouteMethod, checkRoutePath, kebabCase, parseFields, pascalCase, ROUTE_METHODS, type Field, type FieldType,
} from './names.js';
import type { ScaffoldData } from './config-file.js';
import type { BlueprintData } from './render.js';
import type { RouteCall } from './routes-file.js';

export const GENERATOR_KINDS = ['controller', 'scaffold', 'job', 'function', 'authorizer', 'channel'] as const;
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

export interface GeneratorInput {
  /** What follows the name: actions for a controller, `name:type` fields for a scaffold. */
  args?: readonly string[];
  rate?: string;
  cron?: string;
  /** A function's route: a path, or true for `/<name>`. */
  route?: string | boolean;
  /** The HTTP method of a function's route (default get). */
  method?: string;
}

export interface GeneratorPlan {
  /** The name as the app's files spell it: `admin/stats`, `posts`, `cleanup`, `hello`. */
  key: string;
  blueprint: string;
  data: BlueprintData;
  /** Calls added to config/routes.ts. */
  routes: RouteCall[];
  /** Recognise this generator's lines in config/routes.ts (given a normalised call) for destroy. */
  ownsRoute: (call: string) => boolean;
  /**
   * Files of the app blueprint that the generated code imports. An app made by `sls-ts new` has
   * them; they are created when missing, and destroy leaves them (other code shares them).
   */
  support: string[];
  /** What the generator declares in sls-ts.config.ts (a scaffold's table and the controller's link to it). */
  config?: ScaffoldData;
}

export type PlanMode = 'generate' | 'destroy';

const APPLICATION_CONTROLLER = 'app/controllers/application-controller.ts';
const RECORD_NOT_FOUND = 'app/models/record-not-found.ts';

/** Support files that need others: ApplicationController rescues RecordNotFound. */
export const SUPPORT_NEEDS: Readonly<Record<string, readonly string[]>> = { [APPLICATION_CONTROLLER]: [RECORD_NOT_FOUND] };

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function planController(name: string, input: GeneratorInput, mode: PlanMode): GeneratorPlan {
  const controller = checkControllerName(name);
  if (controller === 'application') {
    throw new SlsError({ text: 'ApplicationController already exists: every controller extends it', hint: 'edit app/controllers/application-controller.ts, or choose another name' });
  }
  const args = input.args ?? [];
  const actions = (mode === 'destroy' || args.length > 0 ? args : ['index']).map((action) => {
    const method = checkActionName(action);
    return { method, path: method === 'index' ? `/${controller}` : `/${controller}/${kebabCase(method)}` };
  });
  const twice = actions.find((action, i) => actions.findIndex((other) => other.method === action.method) !== i);
  if (twice) throw new SlsError({ text: `action "${twice.method}" is given twice`, hint: 'name each action once' });
  const parts = controller.split('/');
  const depth = parts.length - 1;
  const routes = actions.map(({ method, path }) => `get('${path}', '${controller}#${method}')`);
  const anyAction = new RegExp(`^get\\('[^']*','${escapeRegExp(controller)}#[A-Za-z_$][\\w$]*'\\)$`);
  return {
    key: controller,
    blueprint: 'controller',
    data: {
      controller,
      name: parts.at(-1)!,
      namespace: parts.slice(0, -1).map((part) => `${part}/`).join(''),
      toControllers: depth === 0 ? './' : '../'.repeat(depth),
      toRoot: '../'.repeat(depth + 1),
      actions,
    },
    routes,
    // Without actions, destroy takes every generator-shaped GET line for the controller: the
    // controller file goes, and a route left pointing at it would break `sls-ts routes`.
    ownsRoute: args.length > 0 ? (call) => routes.some((route) => route.replace(/\s+/g, '') === call) : (call) => anyAction.test(call),
    support: [APPLICATION_CONTROLLER],
  };
}

// Controller members a scaffold's `this.<record>` property would shadow, and names the
// generated files already use.
const TAKEN_MEMBERS = ['request', 'context', 'route', 'response', 'event', 'params', 'cookies', 'actionName'];
const TAKEN_TYPES = ['ApplicationController', 'Controller', 'HttpError', 'RecordNotFound', 'Job'];

const SAMPLES: Record<FieldType, [unknown, unknown]> = {
  string: ['Hello', 'Changed'],
  text: ['Some text', 'Other text'],
  number: [42, 7],
  boolean: [true, false],
  date: ['2024-05-01T00:00:00.000Z', '2025-01-31T12:30:00.000Z'],
};

function planScaffold(name: string, input: GeneratorInput, mode: PlanMode): GeneratorPlan {
  const { plural, singular } = checkResourceName(name);
  const member = camelCase(singular);
  if (TAKEN_MEMBERS.includes(member) || TAKEN_TYPES.includes(pascalCase(singular))) {
    throw new SlsError({
      text: `"${name}" cannot be a scaffold: its generated code would shadow ${TAKEN_MEMBERS.includes(member) ? `Controller#${member}` : pascalCase(singular)}`,
      hint: 'choose another name',
    });
  }
  const fields: Field[] = mode === 'generate' ? parseFields(input.args ?? []) : [];
  const call = `resources('${plural}')`;
  const owned = new RegExp(`^resources\\('${escapeRegExp(plural)}'(?:,\\{[^(){}]*\\})?\\)$`);
  return {
    key: plural,
    blueprint: 'scaffold',
    data: {
      plural,
      singular,
      fields: fields.map((field) => {
        const [sample, changed] = SAMPLES[field.type];
        return { ...field, sample, changed, formValue: encodeURIComponent(String(sample)) };
      }),
      uses: Object.fromEntries(['string', 'text', 'number', 'boolean', 'date'].map((type) => [type, fields.some((field) => field.type === type)])),
    },
    routes: [call],
    // The line as generated, or edited to `{ only: […] }`/`{ except: […] }`: still only this
    // resource. A callback (nested resources) names others, and is left for the user.
    ownsRoute: (normalized) => owned.test(normalized),
    support: [APPLICATION_CONTROLLER, RECORD_NOT_FOUND],
    // The records live in a DynamoDB table of that name, which the controller links.
    config: { resource: camelCase(plural), controller: plural },
  };
}

function planJob(name: string, input: GeneratorInput, mode: PlanMode): GeneratorPlan {
  const job = checkJobName(name);
  if (input.rate !== undefined && input.cron !== undefined) {
    throw new SlsError({ text: 'a job takes --rate or --cron, not both', hint: 'give one schedule; add more in the job file as an array' });
  }
  const schedule = mode === 'destroy'
    ? { kind: 'rate', expression: '1 day' }
    : input.cron !== undefined
      ? { kind: 'cron', expression: checkCron(input.cron) }
      : { kind: 'rate', expression: input.rate === undefined ? '1 day' : checkRate(input.rate) };
  return { key: job, blueprint: 'job', data: { name: job, schedule }, routes: [], ownsRoute: () => false, support: [] };
}

/** A concrete URL for a route path, for the generated test: `/hello/:name` → `/hello/example`. */
function examplePath(path: string): string {
  return path.replace(/[:*][A-Za-z_][A-Za-z0-9_]*/g, 'example');
}

function planFunction(name: string, input: GeneratorInput): GeneratorPlan {
  const fn = checkFunctionName(name);
  const path = input.route === true ? `/${fn}` : typeof input.route === 'string' ? checkRoutePath(input.route) : undefined;
  if (input.method !== undefined && !path) {
    throw new SlsError({ text: '--method needs --route: a function without a route has no HTTP method', hint: `e.g. sls-ts generate function ${fn} --route /${fn} --method ${input.method}` });
  }
  const method = input.method === undefined ? 'get' : checkRouteMethod(input.method);
  const target = `{ function: '${fn}' }`;
  const routes = path ? [`${method}('${path}', ${target})`] : [];
  // Without --method, destroy takes the function's generator-shaped routes whatever their method
  // (and, without a path, whatever their path).
  const owned = new RegExp(`^(?:${ROUTE_METHODS.join('|')})\\('${path ? escapeRegExp(path) : "[^']*"}',\\{function:'${escapeRegExp(fn)}'\\}\\)$`);
  return {
    key: fn,
    blueprint: 'function',
    data: {
      name: fn, route: path ?? null, routeCall: routes[0] ?? null, testPath: path ? examplePath(path) : null,
      method: method.toUpperCase(), testVerb: method === 'any' ? 'get' : method,
    },
    routes,
    ownsRoute: path && input.method !== undefined ? (call) => call === routes[0]!.replace(/\s+/g, '') : (call) => owned.test(call),
    support: [],
  };
}

/** A TOKEN authorizer class in app/authorizers/ and its test; the token it expects comes from `<NAME>_TOKEN`. */
function planAuthorizer(name: string): GeneratorPlan {
  const authorizer = checkAuthorizerName(name);
  const envName = `${authorizer.replace(/[-/]/g, '_').toUpperCase()}_TOKEN`;
  return { key: authorizer, blueprint: 'authorizer', data: { name: authorizer, envName }, routes: [], ownsRoute: () => false, support: [] };
}

/** A WebSocket channel class in app/channels/ (connect, say, disconnect) and its test through sls-ts/testing's testChannel. */
function planChannel(name: string): GeneratorPlan {
  const channel = checkChannelName(name);
  return { key: channel, blueprint: 'channel', data: { name: channel }, routes: [], ownsRoute: () => false, support: [] };
}

export function planGenerator(kind: GeneratorKind, name: string, input: GeneratorInput, mode: PlanMode): GeneratorPlan {
  switch (kind) {
    case 'controller': return planController(name, input, mode);
    case 'scaffold': return planScaffold(name, input, mode);
    case 'job': return planJob(name, input, mode);
    case 'function': return planFunction(name, input);
    case 'authorizer': return planAuthorizer(name);
    case 'channel': return planChannel(name);
    default: throw new SlsError({ text: `unknown generator "${String(kind)}"`, hint: `use one of: ${GENERATOR_KINDS.join(', ')}` });
  }
}
