/** HTTP verbs a route can declare. `ANY` accepts every verb, as API Gateway's ANY method does. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
export type RouteMethod = HttpMethod | 'ANY';

/** A controller action (`posts#show`, `admin/users#index`) or a plain Lambda function in app/functions. */
export type RouteTarget = { controller: string; action: string } | { function: string };

/**
 * How API Gateway guards a route: the name of an authorizer (a class in app/authorizers/, `admin`
 * for admin-authorizer.ts, or one the config's `authorizers` declares), `'iam'` for AWS_IAM
 * (SigV4-signed requests), or `false` for a public route whatever its controller or the app says.
 */
export type RouteAuth = string | false;

/** Per-route settings of the API's edge; a namespace or `resources` passes its own to every route inside. */
export interface RouteOptions {
  auth?: RouteAuth;
  /** OAuth scopes a Cognito authorizer requires of the access token (API Gateway's AuthorizationScopes). */
  scopes?: readonly string[];
  /** Require an `x-api-key` header holding a key of one of the app's usage plans (API Gateway's ApiKeyRequired). */
  apiKey?: boolean;
}

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
  /** As the routes file set it (the route's own option, else its namespace's or resources'); the controller and the app fill in the rest at build time. */
  auth?: RouteAuth;
  scopes?: readonly string[];
  apiKey?: boolean;
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
