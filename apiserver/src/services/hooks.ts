/**
 * Service hooks: allocate a ClusterIP (unless headless or ExternalName) and NodePorts (for
 * NodePort/LoadBalancer) on create, keep them across updates, allocate or release NodePorts
 * when the type changes, and release everything when the Service goes.
 */
import type { Etcd3 } from 'etcd3';
import { ApiError, newInvalid, type KubeObject, type Service } from '@mk8s/shared';
import { carryOverServiceAllocations } from '../defaults/service.js';
import type { ResourceHooks } from '../registry/resource-def.js';
import { ipToNumber, ipToString, parseCIDR, RangeAllocator } from './allocator.js';

export interface ServiceAllocators {
  ips: RangeAllocator;
  ports: RangeAllocator;
  /** the first address of the range, reserved for the `kubernetes` service */
  firstIP: string;
}

export function newServiceAllocators(etcd: Etcd3, prefix: string, cidr: string, portRange: string): ServiceAllocators {
  const { base, size } = parseCIDR(cidr);
  const [lo, hi] = portRange.split('-').map(Number) as [number, number];
  if (!(lo > 0 && hi >= lo && hi < 65536)) throw new Error(`invalid node port range ${portRange}`);
  return {
    ips: new RangeAllocator(etcd, `${prefix}/ranges/serviceips`, base + 1, base + size - 2, ipToString, 'service IP'),
    ports: new RangeAllocator(etcd, `${prefix}/ranges/servicenodeports`, lo, hi, String, 'node port'),
    firstIP: ipToString(base + 1),
  };
}

const wantsNodePorts = (s: Service) => s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer';
const wantsIP = (s: Service) => s.spec.type !== 'ExternalName' && s.spec.clusterIP !== 'None';
const ownerOf = (s: KubeObject) => `${s.metadata.namespace}/${s.metadata.name}`;

function invalid(s: Service, field: string, value: string | number, why: string): ApiError {
  return newInvalid('Service', '', s.metadata.name ?? '', [{ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${why}` }]);
}

async function claimNodePorts(a: ServiceAllocators, svc: Service, old: Service | undefined, claimed: number[]): Promise<void> {
  const oldPorts = new Set((old?.spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p));
  const ports = svc.spec.ports ?? [];
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i]!;
    if (p.nodePort) {
      if (oldPorts.has(p.nodePort)) continue;
      if (!a.ports.contains(p.nodePort)) throw invalid(svc, `spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${a.ports.first}-${a.ports.last}`);
      const got = await a.ports.claim(p.nodePort, ownerOf(svc));
      if (!got) throw invalid(svc, `spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated');
      if (got === 'claimed') claimed.push(p.nodePort);
    } else {
      p.nodePort = await a.ports.allocate(ownerOf(svc));
      claimed.push(p.nodePort);
    }
  }
}

export function serviceHooks(a: ServiceAllocators): ResourceHooks {
  // What a create claimed, so a failed write can give it back.
  const pending = new WeakMap<KubeObject, { ip?: number; ports: number[] }>();
  const releaseAll = async (svc: Service) => {
    const ip = svc.spec.clusterIP ? ipToNumber(svc.spec.clusterIP) : undefined;
    if (ip !== undefined) await a.ips.release(ip);
    for (const p of svc.spec.ports ?? []) if (p.nodePort) await a.ports.release(p.nodePort);
  };
  return {
    async beforeCreate(obj, ctx) {
      const svc = obj as Service;
      if (ctx.dryRun) return;
      const claimed: { ip?: number; ports: number[] } = { ports: [] };
      pending.set(obj, claimed);
      try {
        if (wantsIP(svc)) {
          if (svc.spec.clusterIP) {
            const n = ipToNumber(svc.spec.clusterIP);
            if (n === undefined || !a.ips.contains(n)) throw invalid(svc, 'spec.clusterIP', svc.spec.clusterIP, 'provided IP is not in the valid range. The range of valid IPs is the service cluster IP range');
            const got = await a.ips.claim(n, ownerOf(svc));
            if (!got) throw invalid(svc, 'spec.clusterIP', svc.spec.clusterIP, 'provided IP is already allocated');
            if (got === 'claimed') claimed.ip = n;
          } else {
            claimed.ip = await a.ips.allocate(ownerOf(svc));
            svc.spec.clusterIP = ipToString(claimed.ip);
          }
          svc.spec.clusterIPs = [svc.spec.clusterIP];
          svc.spec.ipFamilies ??= ['IPv4'];
          svc.spec.ipFamilyPolicy ??= 'SingleStack';
        } else if (svc.spec.clusterIP === 'None') svc.spec.clusterIPs = ['None'];
        if (wantsNodePorts(svc)) await claimNodePorts(a, svc, undefined, claimed.ports);
      } catch (err) {
        if (claimed.ip !== undefined) await a.ips.release(claimed.ip);
        for (const p of claimed.ports) await a.ports.release(p);
        throw err;
      }
    },
    onCreateFailed(obj) {
      const claimed = pending.get(obj);
      if (!claimed) return;
      if (claimed.ip !== undefined) void a.ips.release(claimed.ip).catch(() => undefined);
      for (const p of claimed.ports) void a.ports.release(p).catch(() => undefined);
    },
    async beforeUpdate(obj, old, ctx) {
      const svc = obj as Service;
      const prev = old as Service;
      carryOverServiceAllocations(svc, prev);
      if (ctx.dryRun) return;
      if (wantsNodePorts(svc)) {
        await claimNodePorts(a, svc, prev, []);
      } else {
        for (const p of svc.spec.ports ?? []) delete p.nodePort;
      }
      const kept = new Set((svc.spec.ports ?? []).map((p) => p.nodePort));
      for (const p of prev.spec.ports ?? []) if (p.nodePort && !kept.has(p.nodePort)) await a.ports.release(p.nodePort);
    },
    async afterDelete(obj) {
      await releaseAll(obj as Service);
    },
  };
}

/**
 * Claims the addresses and node ports of every stored Service (run at start), so that
 * allocations made before the allocator existed, or lost, are never handed out again.
 * Services that collide with another's claim are logged; they keep working.
 */
export async function repairAllocations(
  a: ServiceAllocators,
  services: Service[],
  log: { warn(o: object, m: string): void; info(o: object, m: string): void },
): Promise<void> {
  log.info({ services: services.length }, 'repairing service allocations');
  for (const svc of services) {
    const owner = ownerOf(svc);
    const ip = svc.spec.clusterIP ? ipToNumber(svc.spec.clusterIP) : undefined;
    if (ip !== undefined && a.ips.contains(ip) && !(await a.ips.claim(ip, owner))) {
      log.warn({ service: owner, clusterIP: svc.spec.clusterIP }, 'service shares its cluster IP with another service');
    }
    for (const p of svc.spec.ports ?? []) {
      if (p.nodePort && a.ports.contains(p.nodePort) && !(await a.ports.claim(p.nodePort, owner))) {
        log.warn({ service: owner, nodePort: p.nodePort }, 'service shares its node port with another service');
      }
    }
  }
}
