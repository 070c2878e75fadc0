// IAM Resource intrinsics in the config: only those that can resolve in a generated template pass
// (the logical ids they name are checked when the templates are generated: test/unit/cloudformation/checks.test.ts).
import { describe, expect, it } from 'vitest';
import { validateUserConfig } from '../../../src/config/index.js';

const errorsFor = (Resource: unknown) =>
  validateUserConfig({ name: 'blog', controllers: { posts: { iam: [{ Action: 's3:GetObject', Resource }] } } }).filter((d) => d.level !== 'warning');

describe('IAM Resource intrinsics', () => {
  it.each([
    [{ Ref: 'AWS::AccountId' }],
    [{ 'Fn::GetAtt': ['ArtifactsBucket', 'Arn'] }],
    [{ 'Fn::GetAtt': 'ArtifactsBucket.Arn' }],
    [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b-${AWS::AccountId}/${!Literal}' }],
    [{ 'Fn::Sub': ['arn:aws:s3:::${Bucket}/*', { Bucket: { Ref: 'ArtifactsBucket' } }] }],
    [{ 'Fn::ImportValue': 'shared-bucket-arn' }],
    [{ 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-arn' } }],
    [{ 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'AWS::Region' }, '/*']] }],
    [{ 'Fn::Select': [0, { 'Fn::Split': [',', 'arn:aws:s3:::a,arn:aws:s3:::b'] }] }],
  ])('accepts %j', (resource) => {
    expect(errorsFor(resource)).toEqual([]);
  });

  it.each([
    [{ 'Fn::If': ['IsProd', 'arn:aws:s3:::a', 'arn:aws:s3:::b'] }, 'controllers.posts.iam[0].Resource', 'got Fn::If'],
    [{ 'Fn::FindInMap': ['Buckets', 'prod', 'arn'] }, 'controllers.posts.iam[0].Resource', 'got Fn::FindInMap'],
    [{ Ref: 'AWS::NoValue' }, 'controllers.posts.iam[0].Resource.Ref', 'AWS::NoValue is neither a pseudo parameter'],
    [{ Ref: 'my-table' }, 'controllers.posts.iam[0].Resource.Ref', 'my-table is neither'],
    [{ 'Fn::GetAtt': ['Table'] }, 'controllers.posts.iam[0].Resource["Fn::GetAtt"]', 'must be [logicalId, attribute]'],
    [{ 'Fn::Sub': 'arn:aws:sqs:${AWS::Regoin}:q' }, 'controllers.posts.iam[0].Resource["Fn::Sub"]', 'AWS::Regoin is neither'],
    [{ 'Fn::Join': ['', ['arn:aws:s3:::', { 'Fn::Base64': 'x' }]] }, 'controllers.posts.iam[0].Resource["Fn::Join"][2]', 'got Fn::Base64'],
  ])('rejects %j at its path', (resource, path, fragment) => {
    const errors = errorsFor(resource);
    expect(errors.map((d) => d.path)).toEqual([path]);
    expect(errors[0]!.text).toContain(fragment);
    expect(errors[0]!.hint).toContain('Fn::ImportValue');
  });
});
