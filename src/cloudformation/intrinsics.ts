// CloudFormation intrinsic functions and small value builders shared by every resource family.

export type Ref = { Ref: string };
export type GetAtt = { 'Fn::GetAtt': [string, string] };
export type Sub = { 'Fn::Sub': string | [string, Record<string, unknown>] };

export const ref = (id: string): Ref => ({ Ref: id });
export const getAtt = (id: string, attribute: string): GetAtt => ({ 'Fn::GetAtt': [id, attribute] });
export const sub = (text: string): Sub => ({ 'Fn::Sub': text });

export interface Tag {
  Key: string;
  Value: string;
}

/** Tags as CloudFormation lists them, sorted by key so their order never shows up as a change. */
export function tagList(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.keys(tags).sort().map((key) => ({ Key: key, Value: tags[key]! }));
}

/** `{ Tags: [...] }` when there are tags, nothing otherwise (an empty list is noise in a diff). */
export function withTags(tags: Tag[]): { Tags?: Tag[] } {
  return tags.length > 0 ? { Tags: tags.map((tag) => ({ ...tag })) } : {};
}

export const POLICY_VERSION = '2012-10-17';

/** An `AWS::Lambda::Permission` letting `principal` invoke a function, only from `sourceArn`. */
export function invokePermission(functionId: string, principal: string, sourceArn: unknown): { Type: string; Properties: Record<string, unknown> } {
  return {
    Type: 'AWS::Lambda::Permission',
    Properties: { FunctionName: getAtt(functionId, 'Arn'), Action: 'lambda:InvokeFunction', Principal: principal, SourceArn: sourceArn },
  };
}
