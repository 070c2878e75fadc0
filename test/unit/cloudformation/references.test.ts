import { describe, expect, it } from 'vitest';
import { externalize } from '../../../src/cloudformation/references.js';

describe('externalize', () => {
  it('turns references the stack cannot satisfy into parameters, leaving local ones and pseudo parameters alone', () => {
    const resource = {
      Properties: {
        Api: { Ref: 'RestApi' },
        Root: { 'Fn::GetAtt': ['RestApi', 'RootResourceId'] },
        Role: { 'Fn::GetAtt': ['LocalRole', 'Arn'] },
        Arn: { 'Fn::Sub': 'arn:${AWS::Partition}:x:${RestApi}/${LocalRole.Arn}/${Bucket.Arn}/${!Literal}' },
        WithVariables: { 'Fn::Sub': ['${Name}-${Other}', { Name: { Ref: 'Outside' } }] },
      },
    };
    const { value, parameters } = externalize(resource, new Set(['LocalRole']));
    expect(value.Properties).toEqual({
      Api: { Ref: 'RestApi' },
      Root: { Ref: 'RestApiRootResourceId' },
      Role: { 'Fn::GetAtt': ['LocalRole', 'Arn'] },
      Arn: { 'Fn::Sub': 'arn:${AWS::Partition}:x:${RestApi}/${LocalRole.Arn}/${BucketArn}/${!Literal}' },
      WithVariables: { 'Fn::Sub': ['${Name}-${Other}', { Name: { Ref: 'Outside' } }] },
    });
    expect(Object.fromEntries(parameters)).toEqual({
      RestApi: { id: 'RestApi' },
      RestApiRootResourceId: { id: 'RestApi', attribute: 'RootResourceId' },
      BucketArn: { id: 'Bucket', attribute: 'Arn' },
      Other: { id: 'Other' },
      Outside: { id: 'Outside' },
    });
    // The input is left as it was.
    expect(resource.Properties.Root).toEqual({ 'Fn::GetAtt': ['RestApi', 'RootResourceId'] });
  });
});
