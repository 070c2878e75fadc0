// Which IAM role each function runs under (`iamRoles`): its own, its controller's, or the app's.
// A shared role exists only where it is shared: a group of one function keeps that function's own
// role, so switching the setting never touches a controller with a single Lambda.
import type { BuiltFunction } from '../build/types.js';
import type { IamRolesSetting } from '../config/types.js';
import { functionGroup } from './model.js';
import { ROOT_HOME } from './parts.js';

export interface RoleModel {
  /** Unique: `role:function:<key>`, `role:controller:<name>`, `role:app`. */
  key: string;
  /** Sorted by key. */
  members: BuiltFunction[];
  /** Where the role goes when the app is split: with its functions, or the root for the app's. */
  home: string;
  /** For a shared role: its id's readable part, whether that reads back as the group alone, and what it runs. */
  shared?: { stem: string; plain: boolean; description: string };
}

function sharedKeyOf(fn: BuiltFunction, mode: IamRolesSetting): string | undefined {
  if (mode === 'app') return 'role:app';
  if (mode === 'controller' && fn.controller !== undefined) return `role:${functionGroup(fn).key}`;
  return undefined;
}

/** `functions` sorted by key; the roles come out sorted by key. */
export function modelRoles(functions: readonly BuiltFunction[], mode: IamRolesSetting): RoleModel[] {
  const shared = new Map<string, BuiltFunction[]>();
  for (const fn of functions) {
    const key = sharedKeyOf(fn, mode);
    if (key !== undefined) shared.set(key, [...(shared.get(key) ?? []), fn]);
  }
  const roles: RoleModel[] = [];
  for (const fn of functions) {
    const members = shared.get(sharedKeyOf(fn, mode) ?? '');
    if (!members || members.length < 2) roles.push({ key: `role:function:${fn.key}`, members: [fn], home: functionGroup(fn).key });
  }
  for (const [key, members] of shared) {
    if (members.length < 2) continue;
    if (key === 'role:app') {
      roles.push({ key, members, home: ROOT_HOME, shared: { stem: 'AppShared', plain: true, description: `every function of the app (${members.length})` } });
    } else {
      const group = functionGroup(members[0]!);
      roles.push({ key, members, home: group.key, shared: { stem: `${group.stem}Shared`, plain: group.plain, description: `the functions of ${group.description} (${members.length})` } });
    }
  }
  return roles.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
