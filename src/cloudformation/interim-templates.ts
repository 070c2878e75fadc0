// The templates of the first of the two updates a route removal takes. CloudFormation creates
// resources before it deletes the ones an update removes (deletions wait for the cleanup phase), so
// a Deployment created in the same update as a method's removal snapshots that method too, and the
// removed route keeps answering. The first update deletes the methods while the stage keeps the
// Deployment it serves; the deploy's own update then creates a Deployment without them. Both are
// CloudFormation's, so a later rollback returns to a snapshot without the removed routes.
import { findDeployment } from './deployment.js';
import { OUTPUT_NAMES } from './ids.js';
import { sortedRecord } from './json.js';
import type { Template, TemplateResource } from './types.js';

const METHOD = 'AWS::ApiGateway::Method';

/** Whether `value` refers to logical id `id` (Ref, GetAtt, or a `${id}` in a Sub). */
function refersTo(value: unknown, id: string): boolean {
  if (typeof value === 'string') return false;
  if (Array.isArray(value)) return value.some((item) => refersTo(item, id));
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  if (record['Ref'] === id) return true;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === id) return true;
  const sub = record['Fn::Sub'];
  const text = Array.isArray(sub) ? sub[0] : sub;
  if (typeof text === 'string' && (text.includes(`\${${id}}`) || text.includes(`\${${id}.`))) return true;
  return Object.values(record).some((item) => refersTo(item, id));
}

/**
 * A deployed template without some of its methods (`'all'`: every one), and without them in any
 * DependsOn: the first update of a route removal, in which nothing but those methods changes, so
 * the stage's Deployment, the functions and their permissions all keep serving as before.
 * Undefined when anything else still refers to one of them.
 */
export function withoutMethods(template: Template, methods: ReadonlySet<string> | 'all'): Template | undefined {
  const gone = new Set(Object.entries(template.Resources).filter(([id, resource]) => resource?.Type === METHOD && (methods === 'all' || methods.has(id))).map(([id]) => id));
  const resources = Object.entries(template.Resources)
    .filter(([id]) => !gone.has(id))
    .map(([id, resource]) => {
      if (resource.DependsOn === undefined) return [id, resource] as const;
      const dependsOn = [resource.DependsOn].flat().filter((name) => !gone.has(name));
      const { DependsOn: _all, ...rest } = resource;
      return [id, (dependsOn.length > 0 ? { ...rest, DependsOn: dependsOn } : rest) as TemplateResource] as const;
    });
  const rest = { resources: Object.fromEntries(resources), outputs: template.Outputs ?? {} };
  if ([...gone].some((id) => refersTo(rest, id))) return undefined;
  return { ...template, Resources: Object.fromEntries(resources) };
}

/** `value` with every Ref / GetAtt of logical id `from` pointing at `to` instead. */
function retarget(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((item) => retarget(item, from, to));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record['Ref'] === from) return { ...record, Ref: to };
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === from) return { ...record, 'Fn::GetAtt': [to, ...getAtt.slice(1)] };
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, retarget(item, from, to)]));
}

/**
 * The fallback first update, when the deployed templates cannot be read back: the new template,
 * except that the stage stays on the Deployment it serves now. Everything else changes in it, so
 * routes whose functions it replaces or deletes may fail until the second update.
 *
 * Undefined when there is nothing to keep: no API before or after, or the same Deployment.
 */
export function keepDeployment(next: Template, previous: Pick<Template, 'Resources' | 'Outputs'>): Template | undefined {
  const fresh = findDeployment(next);
  const kept = findDeployment(previous);
  if (!fresh || !kept || fresh.id === kept.id) return undefined;
  // The kept Deployment's old DependsOn may name the very methods this update deletes.
  const { DependsOn: _old, ...keptResource } = kept.resource;
  const dependsOn = fresh.resource.DependsOn;
  const resources = Object.entries(next.Resources)
    .filter(([id]) => id !== fresh.id)
    .map(([id, resource]) => [id, retarget(resource, fresh.id, kept.id) as TemplateResource] as const);
  resources.push([kept.id, { ...keptResource, ...(dependsOn && dependsOn.length > 0 && { DependsOn: dependsOn }) } as TemplateResource]);

  // The outputs keep describing what the stage serves until the second update switches it.
  const outputs = { ...(retarget(next.Outputs ?? {}, fresh.id, kept.id) as NonNullable<Template['Outputs']>) };
  const previousHash = previous.Outputs?.[OUTPUT_NAMES.routeHash];
  if (previousHash) outputs[OUTPUT_NAMES.routeHash] = previousHash;
  else delete outputs[OUTPUT_NAMES.routeHash];
  const { Outputs: _next, ...rest } = next;
  return { ...rest, Resources: sortedRecord(resources), ...(Object.keys(outputs).length > 0 && { Outputs: sortedRecord(Object.entries(outputs)) }) };
}
