import { describe, expect, it } from 'vitest';
import type { KubeObject, OwnerReference } from '@mk8s/shared';
import { classify, decideDeletingOwner, decideDependent, ownerState, removeFinalizerPatch, removeRefsPatch, type ClassifiedOwners } from './decide.js';

const ref = (uid: string, block = true): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid, controller: true, blockOwnerDeletion: block });
const obj = (name: string, o: { ns?: string; uid?: string; refs?: OwnerReference[]; deleting?: boolean; finalizers?: string[] } = {}): KubeObject => ({
  metadata: {
    name,
    namespace: o.ns ?? 'default',
    uid: o.uid ?? name,
    resourceVersion: '7',
    ...(o.refs ? { ownerReferences: o.refs } : {}),
    ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    ...(o.finalizers ? { finalizers: o.finalizers } : {}),
  },
});
const owners = (o: Partial<ClassifiedOwners>): ClassifiedOwners => ({ solid: [], dangling: [], waiting: [], ...o });
const noDeps = { hasDependents: false, dependentIsDeletingDependents: false };

describe('ownerState', () => {
  const dep = obj('pod', { refs: [ref('rs')] });
  it.each([
    ['missing owner is dangling', undefined, 'dangling'],
    ['owner with another uid (recreated) is dangling', obj('rs', { uid: 'other' }), 'dangling'],
    ['owner in another namespace counts as absent', obj('rs', { ns: 'elsewhere' }), 'dangling'],
    ['live owner is solid', obj('rs'), 'solid'],
    ['owner being deleted in the background is solid until it goes', obj('rs', { deleting: true }), 'solid'],
    ['owner deleting its dependents is waiting', obj('rs', { deleting: true, finalizers: ['foregroundDeletion'] }), 'waiting'],
    ['owner being orphan-deleted is solid', obj('rs', { deleting: true, finalizers: ['orphan'] }), 'solid'],
  ] as const)('%s', (_n, found, want) => {
    expect(ownerState(ref('rs'), found, dep)).toBe(want);
  });
});

describe('decideDependent', () => {
  it.each([
    ['no owner references: nothing', obj('p'), owners({}), noDeps, { action: 'none' }],
    ['all owners alive: nothing', obj('p', { refs: [ref('a')] }), owners({ solid: [ref('a')] }), noDeps, { action: 'none' }],
    ['only owner gone: delete in the background', obj('p', { refs: [ref('a')] }), owners({ dangling: [ref('a')] }), noDeps, { action: 'delete', policy: 'Background', unblockFirst: false }],
    [
      'two owners, one gone: stays, loses the dead reference',
      obj('p', { refs: [ref('a'), ref('b')] }),
      owners({ solid: [ref('a')], dangling: [ref('b')] }),
      noDeps,
      { action: 'removeRefs', uids: ['b'] },
    ],
    [
      'two owners, one waiting in the foreground: stays, loses that reference',
      obj('p', { refs: [ref('a'), ref('b')] }),
      owners({ solid: [ref('a')], waiting: [ref('b')] }),
      noDeps,
      { action: 'removeRefs', uids: ['b'] },
    ],
    ['owner waiting, no dependents of its own: background delete', obj('p', { refs: [ref('a')] }), owners({ waiting: [ref('a')] }), noDeps, { action: 'delete', policy: 'Background', unblockFirst: false }],
    [
      'owner waiting and it has dependents: foreground delete',
      obj('rs', { refs: [ref('d')] }),
      owners({ waiting: [ref('d')] }),
      { hasDependents: true, dependentIsDeletingDependents: false },
      { action: 'delete', policy: 'Foreground', unblockFirst: false },
    ],
    [
      'foreground cycle: unblock own references, then foreground delete',
      obj('b', { refs: [ref('a')] }),
      owners({ waiting: [ref('a')] }),
      { hasDependents: true, dependentIsDeletingDependents: true },
      { action: 'delete', policy: 'Foreground', unblockFirst: true },
    ],
    [
      'owners gone and dependent carries orphan finalizer: orphan delete',
      obj('p', { refs: [ref('a')], finalizers: ['orphan'] }),
      owners({ dangling: [ref('a')] }),
      noDeps,
      { action: 'delete', policy: 'Orphan', unblockFirst: false },
    ],
  ] as const)('%s', (_n, dep, classified, facts, want) => {
    expect(decideDependent(dep, classified, facts)).toEqual(want);
  });

  it('classify sorts references by state', () => {
    const states: Record<string, 'solid' | 'dangling' | 'waiting'> = { a: 'solid', b: 'dangling', c: 'waiting' };
    expect(classify([ref('a'), ref('b'), ref('c')], (r) => states[r.uid]!)).toEqual(owners({ solid: [ref('a')], dangling: [ref('b')], waiting: [ref('c')] }));
  });
});

describe('decideDeletingOwner and patches', () => {
  it.each([
    ['live object', obj('x'), 'none'],
    ['orphan finalizer', obj('x', { deleting: true, finalizers: ['orphan'] }), 'orphanDependents'],
    ['foreground finalizer', obj('x', { deleting: true, finalizers: ['foregroundDeletion'] }), 'deleteDependents'],
    ['background-deleted with another finalizer', obj('x', { deleting: true, finalizers: ['example.com/x'] }), 'none'],
  ] as const)('%s -> %s', (_n, o, want) => {
    expect(decideDeletingOwner(o)).toBe(want);
  });

  it('removeFinalizerPatch keeps other finalizers and the resourceVersion guard', () => {
    expect(removeFinalizerPatch(obj('x', { finalizers: ['a', 'orphan'] }), 'orphan')).toEqual({ metadata: { resourceVersion: '7', finalizers: ['a'] } });
    expect(removeFinalizerPatch(obj('x', { finalizers: ['orphan'] }), 'orphan')).toEqual({ metadata: { resourceVersion: '7', finalizers: null } });
  });

  it('removeRefsPatch drops only the named owners', () => {
    expect(removeRefsPatch(obj('p', { refs: [ref('a'), ref('b')] }), ['a'])).toEqual({ metadata: { resourceVersion: '7', ownerReferences: [ref('b')] } });
    expect(removeRefsPatch(obj('p', { refs: [ref('a')] }), ['a'])).toEqual({ metadata: { resourceVersion: '7', ownerReferences: null } });
  });
});
