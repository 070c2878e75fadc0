// Raw CloudFormation resources (`cloudformation({ Type, Properties })` under config `resources`)
// checked against the resource specification when the app builds (and so before every deploy):
// otherwise a misspelt or missing property is found by CloudFormation after the upload, as a
// rollback. The dev server does not check them: it never deploys them, and would pay the
// spec's load on every start.
import type { ResolvedRawResource } from '../config/resources.js';
import { formatKeyPath } from '../config/report.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Diagnostic } from '../shared/errors.js';
import type { ProblemSink, TemplateProblem } from './resource-spec/problems.js';
import { checkResourceAgainstSpec } from './resource-spec/resource.js';
import { isCustomType } from './resource-spec/spec.js';

/** sls-ts templates declare no Transform, so a type that needs one (AWS::Serverless::*) cannot deploy. */
const NO_TRANSFORMS: readonly string[] = [];

const REFERENCE = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference';

/** One error per problem of each raw resource; `[]` (without loading the spec) when the app declares none. */
export function rawResourceDiagnostics(config: ResolvedConfig): Diagnostic[] {
  const raw = config.resources.filter((resource): resource is ResolvedRawResource => resource.kind === 'cloudformation');
  return raw.flatMap((resource) => {
    const at = formatKeyPath(['resources', resource.name, 'resource']);
    const sink: ProblemSink = { problems: [] };
    checkResourceAgainstSpec(resource.resource, at, sink, NO_TRANSFORMS);
    // The reference page once per resource, not on each of its lines.
    const hinted = new Set<string>();
    return sink.problems.map((problem) => {
      const hint = hintFor(problem, resource.resource.Type, at);
      const first = !hinted.has(hint);
      hinted.add(hint);
      return { text: `${problem.path}: ${problem.message}`, ...(first ? { hint } : {}), ...(config.configFile ? { file: config.configFile } : {}) };
    });
  });
}

function hintFor(problem: TemplateProblem, type: string, at: string): string {
  if (problem.path === `${at}.Type`) {
    return problem.message.includes('Transform')
      ? 'sls-ts templates declare no Transform: write the plain resources the type stands for (e.g. AWS::Lambda::Function for AWS::Serverless::Function)'
      : 'write the type as the CloudFormation reference spells it; Custom:: types and registry types (outside AWS:: and Alexa::) are not checked';
  }
  const documented = isCustomType(type) ? 'AWS::CloudFormation::CustomResource' : type;
  if (!documented.startsWith('AWS::')) return `see ${type} in the CloudFormation template reference`;
  const page = `aws-resource-${documented.split('::').slice(1).join('-').toLowerCase()}.html`;
  return `the properties of ${type}: ${REFERENCE}/${page}`;
}
