// What the template checks share beyond the product's spec checks (src/build/resource-spec/):
// the names the template declares and the dependency edges between its resources.
import type { JsonObject, ProblemSink } from '../../../src/build/resource-spec/problems.js';

export { intrinsicOf, isObject, join, kindOf, report, type JsonObject, type TemplateProblem } from '../../../src/build/resource-spec/problems.js';

export interface Context extends ProblemSink {
  resources: Map<string, JsonObject>;
  parameters: Set<string>;
  conditions: Set<string>;
  mappings: JsonObject;
  transforms: string[];
  /** resource → resources it depends on (Ref, GetAtt, Sub, DependsOn) */
  edges: Map<string, Set<string>>;
}
