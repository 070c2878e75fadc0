// The cloudformation room's public surface: pure template generation for the build and deploy.
import { FIXED_IDS } from './ids.js';

export { generateTemplates } from './generate.js';
export { templateFiles } from './files.js';
export { bootstrapTemplate } from './bucket.js';
export { apiMethods, deploymentDescription, findDeployment } from './deployment.js';
export { keepDeployment, withoutMethods } from './interim-templates.js';
export { serializeTemplate, templateKey } from './json.js';
export { FIXED_IDS, OUTPUT_NAMES, DEPLOYMENT_ID_PREFIX } from './ids.js';
export { TEMPLATE_LIMITS, API_RESOURCE_QUOTA } from './limits.js';
export { declaredResourceOutputs, type DeclaredResourceOutputs, type ResourceOutputs } from './resource-ids.js';
export { apiKeyOutputs, type ApiKeyOutput } from './edge-ids.js';
export { WEBSOCKET_OUTPUT_SUFFIXES } from './websocket-api.js';
export type {
  ChildTemplate, GeneratedTemplates, GenerateTemplatesInput, StacksLayout, Template, TemplateOutput, TemplateParameter,
  TemplateResource, TemplateStats,
} from './types.js';

/** The artifacts bucket's logical id: the same in the bootstrap and the full template. */
export const ARTIFACTS_BUCKET_ID = FIXED_IDS.bucket;
