// The root stack's outputs: what `url`, `status`, `resources`, `invoke` and `logs` read after a deploy.
import type { BuiltFunction } from '../build/types.js';
import type { Diagnostic } from '../shared/errors.js';
import { bucketNameOutput } from './bucket.js';
import { domainOutputs } from './domain.js';
import { FIXED_IDS, OUTPUT_NAMES } from './ids.js';
import { ref, sub } from './intrinsics.js';
import { TEMPLATE_LIMITS, WARN_RATIO } from './limits.js';
import type { GenerateContext } from './parts.js';
import { resourceReferences, type ResourceOutputs } from './resource-ids.js';
import type { TemplateOutput } from './types.js';
import { apiKeyOutputValues } from './usage-plans.js';

export interface OutputsResult {
  outputs: Record<string, TemplateOutput>;
  warnings: Diagnostic[];
}

/**
 * Per-function outputs are conveniences (names follow from the manifest), so they are the first
 * thing to go when outputs near the limit. Values are built from the names rather than from the
 * resources, so they read the same whether a function sits in the root or in a nested stack.
 */
export function buildOutputs(ctx: GenerateContext, functions: readonly BuiltFunction[], routeHash: string | undefined, httpApi?: Record<string, TemplateOutput>, channels: Record<string, TemplateOutput> = {}): OutputsResult {
  const { config } = ctx;
  const outputs: Record<string, TemplateOutput> = { [OUTPUT_NAMES.artifactsBucketName]: bucketNameOutput() };
  // An HTTP API's (api: 'http'): its URL, id and stage; no RouteHash, as it has no Deployment to check.
  if (httpApi) {
    Object.assign(outputs, httpApi);
    if (config.domain) Object.assign(outputs, domainOutputs(config.domain, 'http'));
  }
  if (routeHash !== undefined) {
    outputs[OUTPUT_NAMES.apiUrl] = {
      Description: `Base URL of the ${config.stage} stage`,
      Value: sub(`https://\${${FIXED_IDS.restApi}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/${config.stage}`),
    };
    outputs[OUTPUT_NAMES.restApiId] = { Description: 'REST API id', Value: ref(FIXED_IDS.restApi) };
    outputs[OUTPUT_NAMES.stageName] = { Description: 'API Gateway stage', Value: ref(FIXED_IDS.stage) };
    outputs[OUTPUT_NAMES.routeHash] = { Description: 'Hash of the deployed API (routes, integrations, CORS, binary types)', Value: routeHash };
    if (config.domain) Object.assign(outputs, domainOutputs(config.domain));
    Object.assign(outputs, apiKeyOutputValues(ctx));
  }

  Object.assign(outputs, resourceOutputs(ctx));
  // Each channel's wss:// URL and @connections endpoint: what `url` prints beside the API's.
  Object.assign(outputs, channels);

  const warnings: Diagnostic[] = [];
  const budget = Math.floor(TEMPLATE_LIMITS.outputs * WARN_RATIO);
  // +1: the layout output (`SlsTsStacks`) is added once the templates are assembled.
  const fixed = Object.keys(outputs).length + 1;
  if (fixed + functions.length * 2 <= budget) {
    for (const fn of functions) {
      const ids = ctx.ids.functions.get(fn.key)!;
      outputs[ids.nameOutput] = { Description: `Function name of ${fn.source} (${fn.key})`, Value: fn.functionName };
      outputs[ids.arnOutput] = {
        Description: `Function ARN of ${fn.source} (${fn.key})`,
        Value: sub(`arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${fn.functionName}`),
      };
    }
  } else if (functions.length > 0) {
    warnings.push({
      level: 'warning',
      text: `${functions.length} functions would need ${functions.length * 2} outputs; the stack outputs leave per-function names and ARNs out to stay under ${budget} (80% of CloudFormation's ${TEMPLATE_LIMITS.outputs})`,
      hint: 'function names are <app>-<stage>-<key> (see the build manifest), so `invoke` and `logs` work without them',
    });
  }
  return { outputs, warnings };
}

const OUTPUT_WORDS: Record<keyof ResourceOutputs, string> = {
  name: 'name', arn: 'ARN', url: 'URL', streamArn: 'stream ARN', deadLetterUrl: 'dead-letter queue URL', deadLetterArn: 'dead-letter queue ARN',
};

/**
 * Each declared resource's physical name, ARN (a queue's URL, a table's stream ARN): never left
 * out, as names CloudFormation generates (buckets') are known only from here.
 */
function resourceOutputs(ctx: GenerateContext): Record<string, TemplateOutput> {
  const outputs: Record<string, TemplateOutput> = {};
  for (const resource of ctx.config.resources) {
    const ids = ctx.ids.declared.get(resource.name)!;
    const values = resourceReferences(resource, ids);
    for (const [output, name] of Object.entries(ids.outputs) as Array<[keyof ResourceOutputs, string]>) {
      outputs[name] = { Description: `${resource.kind === 'cloudformation' ? 'Ref of' : `${resource.kind[0]!.toUpperCase()}${resource.kind.slice(1)}`} ${resource.name}: ${OUTPUT_WORDS[output]} (resources.${resource.name})`, Value: values[output] };
    }
  }
  return outputs;
}
