/**
 * RBAC over the apiserver's own watch caches: the authorizer reads roles and bindings
 * synchronously from memory (Kubernetes' RBAC authorizer reads informers the same way), so a
 * change takes effect as soon as its watch event arrives - milliseconds after the write.
 */
import { ApiError, type ClusterRole, type ClusterRoleBinding, type KubeObject, type Logger, type Role, type RoleBinding } from '@mk8s/shared';
import { defKey } from '../http/context.js';
import type { Registry } from '../registry/registry.js';
import type { ResourceDef, WriteContext } from '../registry/resource-def.js';
import type { WatchCache } from '../storage/watch-cache.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.js';
import type { EscalationCheck } from './escalation.js';
import type { RbacSource } from './rbac.js';

const RBAC = 'rbac.authorization.k8s.io';
const PLURALS = ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] as const;
type Plural = (typeof PLURALS)[number];

function rbacDefs(defs: Map<string, ResourceDef>): Record<Plural, ResourceDef> {
  return Object.fromEntries(PLURALS.map((p) => [p, defs.get(defKey(RBAC, 'v1', p))!])) as Record<Plural, ResourceDef>;
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

/** Creates the bootstrap cluster roles and bindings that do not exist yet. */
export async function ensureBootstrapPolicy(registry: Registry, defs: Map<string, ResourceDef>, log: Logger): Promise<void> {
  const d = rbacDefs(defs);
  const objects: [ResourceDef, KubeObject][] = [
    ...bootstrapClusterRoles().map((r) => [d.clusterroles, r] as [ResourceDef, KubeObject]),
    ...bootstrapClusterRoleBindings().map((b) => [d.clusterrolebindings, b] as [ResourceDef, KubeObject]),
  ];
  let created = 0;
  for (const [def, obj] of objects) {
    try {
      await registry.create(def, undefined, obj, { dryRun: false, user: 'system:apiserver' });
      created++;
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
    }
  }
  if (created) log.info({ created }, 'RBAC bootstrap policy created');
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
