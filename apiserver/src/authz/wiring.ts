/**
 * RBAC over the apiserver's own watch caches: the authorizer reads roles and bindings
 * synchronously from memory (Kubernetes' RBAC authorizer reads informers the same way), so a
 * change takes effect as soon as its watch event arrives - milliseconds after the write.
 */
import { RBAC_GROUP, isAlreadyExists, isNotFound, newNotFound, type ClusterRole, type ClusterRoleBinding, type KubeObject, type Logger, type Role, type RoleBinding } from '@mk8s/shared';
import { defKey } from '../http/context.js';
import type { Registry } from '../registry/registry.js';
import type { ResourceDef, WriteContext } from '../registry/resource-def.js';
import type { WatchCache } from '../storage/watch-cache.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.js';
import { reconcileClusterRole, reconcileClusterRoleBinding } from './reconcile.js';
import type { EscalationCheck } from './escalation.js';
import type { RbacSource } from './rbac.js';

const PLURALS = ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] as const;
type Plural = (typeof PLURALS)[number];

function rbacDefs(defs: Map<string, ResourceDef>): Record<Plural, ResourceDef> {
  return Object.fromEntries(PLURALS.map((p) => [p, defs.get(defKey(RBAC_GROUP, 'v1', p))!])) as Record<Plural, ResourceDef>;
}

/** An RbacSource that reads the watch caches once `start` has opened them; empty before. */
export class CachedRbacSource implements RbacSource {
  private caches?: Record<Plural, WatchCache>;
  private readonly defs: Record<Plural, ResourceDef>;

  constructor(
    private readonly registry: Registry,
    defs: Map<string, ResourceDef>,
  ) {
    this.defs = rbacDefs(defs);
  }

  async start(): Promise<void> {
    const entries = await Promise.all(PLURALS.map(async (p) => [p, await this.registry.cache(this.defs[p])] as const));
    this.caches = Object.fromEntries(entries) as Record<Plural, WatchCache>;
  }

  private list<T extends KubeObject>(plural: Plural, namespace?: string): T[] {
    if (!this.caches) return [];
    return this.caches[plural].list(this.registry.store.collectionPrefix(this.defs[plural].storageName, namespace)) as T[];
  }

  private get<T extends KubeObject>(plural: Plural, namespace: string | undefined, name: string): T | undefined {
    return this.caches?.[plural].getByKey(this.registry.key(this.defs[plural], namespace, name)) as T | undefined;
  }

  clusterRoleBindings(): ClusterRoleBinding[] {
    return this.list('clusterrolebindings');
  }

  roleBindings(namespace: string): RoleBinding[] {
    return this.list('rolebindings', namespace);
  }

  role(namespace: string, name: string): Role | undefined {
    return this.get('roles', namespace, name);
  }

  clusterRole(name: string): ClusterRole | undefined {
    return this.get('clusterroles', undefined, name);
  }
}

/**
 * Creates the bootstrap cluster roles and bindings that do not exist yet, and reconciles the
 * ones that do (reconcile.ts: rules, subjects and aggregation they lack, unless opted out).
 */
export async function ensureBootstrapPolicy(registry: Registry, defs: Map<string, ResourceDef>, log: Logger): Promise<void> {
  const d = rbacDefs(defs);
  const ctx = { dryRun: false, user: 'system:apiserver' };
  const counts = { created: 0, reconciled: 0 };
  const name = (o: KubeObject) => o.metadata.name ?? '';
  /** The stored object, or undefined when this call created `obj` (read first: on a running cluster everything exists). */
  const getOrCreate = async (def: ResourceDef, obj: KubeObject): Promise<KubeObject | undefined> => {
    try {
      return await registry.get(def, undefined, name(obj));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      await registry.create(def, undefined, obj, ctx);
      counts.created++;
      return undefined;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err; // another apiserver was first
      return registry.get(def, undefined, name(obj));
    }
  };
  /** Updates the object to what `reconcile` makes of it, re-reading on conflicts. */
  const write = async (def: ResourceDef, objName: string, reconcile: (current: KubeObject) => KubeObject | undefined) => {
    await registry.guaranteedUpdate(def, undefined, objName, (current) => (current ? (reconcile(current) ?? current) : Promise.reject(newNotFound(def.plural, def.group, objName))), ctx);
    counts.reconciled++;
  };
  const ensureRole = async (wanted: ClusterRole) => {
    const existing = (await getOrCreate(d.clusterroles, wanted)) as ClusterRole | undefined;
    const reconcile = (current: KubeObject) => reconcileClusterRole(current as ClusterRole, wanted);
    if (existing && reconcile(existing)) await write(d.clusterroles, name(wanted), reconcile);
  };
  const ensureBinding = async (wanted: ClusterRoleBinding) => {
    const existing = (await getOrCreate(d.clusterrolebindings, wanted)) as ClusterRoleBinding | undefined;
    if (!existing) return;
    const r = reconcileClusterRoleBinding(existing, wanted);
    if (r.action === 'update') {
      await write(d.clusterrolebindings, name(wanted), (current) => {
        const again = reconcileClusterRoleBinding(current as ClusterRoleBinding, wanted);
        return again.action === 'update' ? again.binding : undefined;
      });
    }
    if (r.action === 'recreate') {
      // roleRef cannot change: delete the binding (at the revision read) and create it anew
      if (!(await registry.removeNow(d.clusterrolebindings, existing, Number(existing.metadata.resourceVersion)))) return;
      await getOrCreate(d.clusterrolebindings, r.binding);
      counts.reconciled++;
    }
  };
  // independent objects: one round of reads (and writes where needed) rather than ~30 in a row
  await Promise.all(bootstrapClusterRoles().map(ensureRole));
  await Promise.all(bootstrapClusterRoleBindings().map(ensureBinding));
  if (counts.created || counts.reconciled) log.info(counts, 'RBAC bootstrap policy written');
}

/**
 * Runs `check` on every create and update of roles, cluster roles and their bindings made by a
 * user (the apiserver's own writes carry no user and are not checked), before the kind's own
 * hooks.
 */
export function installEscalationCheck(defs: Map<string, ResourceDef>, check: EscalationCheck): void {
  const d = rbacDefs(defs);
  const run = (plural: Plural, obj: KubeObject, ctx: WriteContext) => {
    if (!ctx.userInfo) return;
    if (plural === 'roles' || plural === 'clusterroles') check.checkRole(ctx.userInfo, obj, plural);
    else check.checkBinding(ctx.userInfo, obj as RoleBinding, plural);
  };
  for (const plural of PLURALS) {
    const def = d[plural];
    const existing = def.hooks;
    def.hooks = {
      ...existing,
      beforeCreate: async (obj, ctx) => {
        run(plural, obj, ctx);
        await existing?.beforeCreate?.(obj, ctx);
      },
      beforeUpdate: async (obj, old, ctx) => {
        run(plural, obj, ctx);
        await existing?.beforeUpdate?.(obj, old, ctx);
      },
    };
  }
}
