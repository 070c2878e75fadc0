import { describe, expect, it } from 'vitest';
import { assignLogicalIds, pascalWords, pathWords, type IdRequest } from '../../../src/cloudformation/logical-ids.js';

const resource = (path: string): IdRequest => ({ key: `resource:${path}`, owner: `path:${path}`, stem: `ApiResource${pathWords(path)}` });

describe('readable ids', () => {
  it('are built from the words of a key', () => {
    expect(pascalWords('admin/users-controller')).toBe('AdminUsersController');
    expect(pascalWords('posts_controller-show')).toBe('PostsControllerShow');
    expect(pathWords('/posts/{id}')).toBe('PostsId');
    expect(pathWords('/posts/{post_id}/comments')).toBe('PostsPostIdComments');
    expect(pathWords('/{proxy+}')).toBe('Proxy');
    expect(pathWords('/logo.png')).toBe('LogoPng');
    expect(pathWords('/')).toBe('Root');
  });
});

describe('assignLogicalIds', () => {
  it('keeps readable ids when they are free', () => {
    const ids = assignLogicalIds([resource('/posts'), resource('/posts/{id}')]);
    expect([...ids.values()]).toEqual(['ApiResourcePosts', 'ApiResourcePostsId']);
  });

  it('resolves collisions with a hash of the key, the parameter path keeping the readable id', () => {
    const alone = assignLogicalIds([resource('/posts/{id}')]);
    const both = assignLogicalIds([resource('/posts/id'), resource('/posts/{id}')]);
    expect(both.get('resource:/posts/{id}')).toBe('ApiResourcePostsId');
    expect(both.get('resource:/posts/id')).toMatch(/^ApiResourcePostsId[0-9a-f]{8}$/);
    // Adding the literal path later does not rename the existing resource.
    expect(alone.get('resource:/posts/{id}')).toBe(both.get('resource:/posts/{id}'));
  });

  it('puts the hash before the suffix, shared by an owner\'s ids', () => {
    const requests = ['posts-controller', 'posts_controller'].flatMap((key) => ['Function', 'Role'].map((suffix) => ({ key: `${key}#${suffix}`, owner: key, stem: pascalWords(key), suffix })));
    const ids = assignLogicalIds(requests);
    expect(ids.get('posts-controller#Function')).toBe('PostsControllerFunction');
    const fn = ids.get('posts_controller#Function')!;
    const role = ids.get('posts_controller#Role')!;
    expect(fn).toMatch(/^PostsController[0-9a-f]{8}Function$/);
    expect(role).toBe(fn.replace(/Function$/, 'Role'));
  });

  it('cuts ids to 255 characters with a hash, never giving two keys the same id', () => {
    const stem = 'Very'.repeat(100);
    const ids = assignLogicalIds([{ key: 'a', stem, suffix: 'Function' }, { key: 'b', stem, suffix: 'Function' }]);
    const [a, b] = [ids.get('a')!, ids.get('b')!];
    expect(a).toHaveLength(255);
    expect(a).toMatch(/^(Very)+V?e?r?[0-9a-f]{8}Function$/);
    expect(a).not.toBe(b);
  });

  it('never hands out a reserved id, whatever the case', () => {
    const ids = assignLogicalIds([{ key: 'x', stem: 'Rest', suffix: 'Api' }, { key: 'y', stem: 'Artifacts', suffix: 'bucket' }], ['RestApi', 'ArtifactsBucket']);
    expect(ids.get('x')).toMatch(/^Rest[0-9a-f]{8}Api$/);
    expect(ids.get('y')).toMatch(/^Artifacts[0-9a-f]{8}bucket$/);
  });

  it('gives an id made of a hash when a key has no alphanumeric words', () => {
    expect(assignLogicalIds([{ key: 'k', stem: '' }]).get('k')).toMatch(/^[0-9a-f]{8}$/);
  });
});
