/**
 * Cluster DNS answers (pure): given one question and a view of the Service and Endpoints
 * caches, the records for names under the cluster domain, following the Kubernetes DNS spec:
 * - `<svc>.<ns>.svc.<domain>`: A = the ClusterIP; headless: A = each ready endpoint IP
 *   (not-ready ones too with publishNotReadyAddresses); ExternalName: CNAME.
 * - `<hostname>.<svc>.<ns>.svc.<domain>`: A of a headless endpoint with that hostname.
 * - `_<port>._<proto>.<svc>.<ns>.svc.<domain>`: SRV for a named port (target the service
 *   name, or each endpoint for headless services) with the A records as additionals.
 * - `<a-b-c-d>.<ns>.pod.<domain>`: A = a.b.c.d.
 * Unknown names under the domain are NXDOMAIN; a known name without records of the asked
 * type is NOERROR with no answers (so AAAA lookups do not hide the A record). Names outside
 * the domain return `forward`.
 */
import type { Answer, Question, SoaAnswer } from 'dns-packet';
import type { EndpointAddress, Endpoints, Service } from '@mk8s/shared';

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export interface DnsView {
  service(namespace: string, name: string): Service | undefined;
  endpoints(namespace: string, name: string): Endpoints | undefined;
}

export type DnsResult =
  | { kind: 'forward' }
  | { kind: 'answer'; rcode: number; answers: Answer[]; additionals: Answer[]; authorities: Answer[] };

export const DEFAULT_TTL = 5;
const IPV4 = /^(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})$/;

export function soaFor(domain: string, ttl: number): SoaAnswer {
  return {
    type: 'SOA',
    name: domain,
    ttl,
    data: { mname: `ns.dns.${domain}`, rname: `hostmaster.${domain}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl },
  };
}

/** Addresses an answer lists for a headless service. */
function headlessAddresses(svc: Service, eps: Endpoints | undefined): Array<EndpointAddress & { ports: Array<{ name?: string; port: number; protocol?: string }> }> {
  const out: Array<EndpointAddress & { ports: Array<{ name?: string; port: number; protocol?: string }> }> = [];
  const seen = new Set<string>();
  for (const s of eps?.subsets ?? []) {
    const addrs = [...(s.addresses ?? []), ...(svc.spec.publishNotReadyAddresses ? (s.notReadyAddresses ?? []) : [])];
    for (const a of addrs) {
      if (seen.has(a.ip)) continue;
      seen.add(a.ip);
      out.push({ ...a, ports: s.ports ?? [] });
    }
  }
  return out;
}

const isHeadless = (svc: Service) => svc.spec.clusterIP === 'None' || (!svc.spec.clusterIP && svc.spec.type !== 'ExternalName');

export function answerQuestion(q: Question, view: DnsView, domain = 'cluster.local', ttl = DEFAULT_TTL): DnsResult {
  const name = q.name.toLowerCase().replace(/\.$/, '');
  const zone = domain.toLowerCase();
  if (name !== zone && !name.endsWith(`.${zone}`)) return { kind: 'forward' };
  const labels = name === zone ? [] : name.slice(0, -(zone.length + 1)).split('.');
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  const found = (): DnsResult => ({ kind: 'answer', rcode: RCODE.NOERROR, answers, additionals, authorities: answers.length ? [] : [soaFor(zone, ttl)] });
  const nx: DnsResult = { kind: 'answer', rcode: RCODE.NXDOMAIN, answers: [], additionals: [], authorities: [soaFor(zone, ttl)] };
  const wantsA = q.type === 'A' || (q.type as string) === 'ANY';
  const a = (n: string, ip: string): Answer => ({ type: 'A', name: n, ttl, data: ip });

  if (labels.length === 0 || (labels.length === 1 && (labels[0] === 'svc' || labels[0] === 'pod'))) return found();
  const kind = labels[labels.length - 1];

  if (kind === 'pod' && labels.length === 3) {
    const m = IPV4.exec(labels[0]!);
    if (!m || !m.slice(1).every((x) => Number(x) <= 255)) return nx;
    if (wantsA) answers.push(a(q.name, m.slice(1).join('.')));
    return found();
  }
  if (kind !== 'svc' || labels.length < 3) return nx;
  const ns = labels[labels.length - 2]!;
  const svcName = labels[labels.length - 3]!;
  const svc = view.service(ns, svcName);
  if (!svc) return nx;
  const svcFqdn = `${svcName}.${ns}.svc.${zone}`;
  const eps = view.endpoints(ns, svcName);

  if (labels.length === 3) {
    if (svc.spec.type === 'ExternalName') {
      if (svc.spec.externalName) answers.push({ type: 'CNAME', name: q.name, ttl, data: svc.spec.externalName });
      return found();
    }
    if (!wantsA) return found();
    if (isHeadless(svc)) for (const ep of headlessAddresses(svc, eps)) answers.push(a(q.name, ep.ip));
    else if (svc.spec.clusterIP) answers.push(a(q.name, svc.spec.clusterIP));
    return found();
  }
  if (labels.length === 4) {
    // <hostname>.<svc>.<ns>.svc: a headless endpoint by hostname (or dashed IP)
    const host = labels[0]!;
    const ep = headlessAddresses(svc, eps).find((e) => e.hostname === host || e.ip.replace(/\./g, '-') === host);
    if (!ep) return nx;
    if (wantsA) answers.push(a(q.name, ep.ip));
    return found();
  }
  if (labels.length === 5 && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) {
    const portName = labels[0]!.slice(1);
    const proto = labels[1]!.slice(1).toUpperCase();
    const port = (svc.spec.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === proto);
    if (!port) return nx;
    if (q.type !== 'SRV' && (q.type as string) !== 'ANY') return found();
    if (isHeadless(svc)) {
      for (const ep of headlessAddresses(svc, eps)) {
        const epPort = ep.ports.find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === proto);
        if (!epPort) continue;
        const target = `${ep.hostname ?? ep.ip.replace(/\./g, '-')}.${svcFqdn}`;
        answers.push({ type: 'SRV', name: q.name, ttl, data: { priority: 0, weight: 100, port: epPort.port, target } });
        additionals.push(a(target, ep.ip));
      }
    } else if (svc.spec.clusterIP) {
      answers.push({ type: 'SRV', name: q.name, ttl, data: { priority: 0, weight: 100, port: port.port, target: svcFqdn } });
      additionals.push(a(svcFqdn, svc.spec.clusterIP));
    }
    return found();
  }
  return nx;
}
