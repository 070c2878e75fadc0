/** HTTP verbs a route can declare. `ANY` accepts every verb, as API Gateway's ANY method does. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
export type RouteMethod = HttpMethod | 'ANY';

/** A controller action (`posts#show`, `admin/users#index`) or a plain Lambda function in app/functions. */
export type RouteTarget = { controller: string; action: string } | { function: string };

/** Where a route was declared, so errors can point at the line in config/routes.ts. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

/** A route as the DSL recorded it, before API Gateway's rules were checked. */
export interface RouteDefinition {
  method: RouteMethod;
  /** Rails-style path: `/posts/:id`, `/files/*path`. */
  path: string;
  target: RouteTarget;
  /**
   * API Gateway allows one variable name per path level, so a parent resource whose children are
   * nested uses `:post_id` in its own member routes too; the alias gives the action `params.id` back.
   */
  paramAliases?: Readonly<Record<string, string>>;
  source?: SourceLocation;
}

/** A checked route, with its API Gateway resource template (`/posts/{id}`, `/{proxy+}`). */
export interface CompiledRoute extends RouteDefinition {
  resource: string;
  /** `posts#show` or `function:hello`: how messages and tables name the target. */
  targetName: string;
  /** Human label used in every message: `GET /posts/:id → posts#show (config/routes.ts:4)`. */
  label: string;
}

/** One problem found while compiling routes; data until the CLI prints it. */
export interface RouteDiagnostic {
  text: string;
  route: string;
  file?: string;
  line?: number;
  hint?: string;
}
