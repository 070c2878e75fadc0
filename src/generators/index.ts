// The generators room: `sls-ts new`, `generate` and `destroy` over handlebars blueprints.
export { createApp, checkAppName, renderApp, APP_TEMPLATES, type AppTemplate, type CreateAppOptions, type CreateAppResult } from './create-app.js';
export { generate, destroy, ROUTES_FILE, type Change, type ChangeAction, type GenerateOptions } from './generate.js';
export { GENERATOR_KINDS, planGenerator, type GeneratorKind, type GeneratorInput } from './kinds.js';
export { FIELD_TYPES, ROUTE_METHODS, type FieldType } from './names.js';
export { renderBlueprint, blueprintPaths, type RenderedFile } from './render.js';
export { insertRoute, removeRoute } from './routes-file.js';
export { defaultSlsTsSpec, isSourceCheckout, packageRoot } from './package-info.js';
export { PACKAGE_MANAGERS, type PackageManager, type GitResult } from './setup-steps.js';
