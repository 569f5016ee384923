/**
 * What the generic registry needs to know about one kind beyond its name: how it is stored,
 * which part is status, which fields can be selected on, and the hooks that give a kind
 * its own behaviour (service address allocation, pod binding, namespace termination).
 * Adding a kind is adding a row in resource-table.ts.
 */
import type { KubeObject, ResourceType, StatusCause } from '@mk8s/shared';
import type { UserInfo } from '../http/auth.js';

export interface Strategy {
  default?(obj: KubeObject): void;
  validate?(obj: KubeObject): StatusCause[];
  validateUpdate?(obj: KubeObject, old: KubeObject): StatusCause[];
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): StatusCause[];
}

export interface WriteContext {
  dryRun: boolean;
  /** authenticated user name */
  user: string;
  /** the whole authenticated user (absent on the apiserver's own writes) */
  userInfo?: UserInfo;
}

export interface ResourceHooks {
  /** called on a create after defaulting and validation; may change the object or throw ApiError */
  beforeCreate?(obj: KubeObject, ctx: WriteContext): Promise<void> | void;
  /** called on an update (not a status update) after validation */
  beforeUpdate?(obj: KubeObject, old: KubeObject, ctx: WriteContext): Promise<void> | void;
  /** called after an object is removed from storage (not on dry runs) */
  afterDelete?(obj: KubeObject): Promise<void> | void;
  /** called when a create fails after beforeCreate (e.g. to release an allocation) */
  onCreateFailed?(obj: KubeObject): void;
}

export interface ResourceDef extends ResourceType {
  /** key segment under the storage prefix */
  storageName: string;
  /** `status` is written only through the status subresource */
  hasStatus: boolean;
  /** name rule: most kinds are DNS-1123 subdomains */
  nameRule: 'subdomain' | 'label' | 'dns1035' | 'path';
  /** extra fields for field selectors, besides metadata.name and metadata.namespace */
  fields?(obj: KubeObject): Record<string, string>;
  /** PUT of a missing object creates it */
  allowCreateOnUpdate?: boolean;
  /** what create does to a submitted status */
  statusOnCreate?: 'keep' | 'clear' | ((obj: KubeObject) => unknown);
  strategy?: Strategy;
  hooks?: ResourceHooks;
  /**
   * Served from another version's storage: the handler converts bodies to `storage`'s
   * version on the way in and every object back on the way out.
   */
  conversion?: {
    storage: ResourceDef;
    toStorage(obj: KubeObject, stored?: KubeObject): KubeObject;
    fromStorage(obj: KubeObject): KubeObject;
  };
}
