/**
 * Scheduling constraints in a pod spec (core `validateAffinity`, `validateTopologySpreadConstraints`):
 * node affinity selector terms, pod (anti-)affinity terms and topology spread constraints.
 * The scheduler trusts these shapes, so anything it could trip on is refused here.
 */
import { isDNS1123Label, isQualifiedName } from '@mk8s/shared';
import { arrayOf, child, duplicate, forbidden, index, invalid, invalidEach, isObject, isSet, notSupported, required, type FieldCause } from './causes.js';
import { validateLabelSelector } from './meta.js';

const NODE_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];
const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];

function validateNodeSelectorRequirement(req: unknown, p: string, fieldKeys: boolean): FieldCause[] {
  if (!isObject(req)) return [invalid(p, req, 'must be an object')];
  const causes: FieldCause[] = [];
  const key = typeof req.key === 'string' ? req.key : '';
  if (fieldKeys) {
    if (key !== 'metadata.name') causes.push(invalid(child(p, 'key'), key, 'not a valid field selector key'));
  } else causes.push(...invalidEach(child(p, 'key'), key, isQualifiedName(key)));
  const values = arrayOf<unknown>(req.values);
  const vp = child(p, 'values');
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) causes.push(required(vp, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) causes.push(forbidden(vp, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) causes.push(required(vp, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      else if (!/^-?[0-9]+$/.test(String(values[0]))) causes.push(invalid(index(vp, 0), values[0], 'must be an integer'));
      break;
    default:
      causes.push(notSupported(child(p, 'operator'), req.operator ?? '', NODE_SELECTOR_OPERATORS));
  }
  return causes;
}

function validateNodeSelectorTerm(term: unknown, p: string): FieldCause[] {
  if (!isObject(term)) return [invalid(p, term, 'must be an object')];
  return [
    ...arrayOf<unknown>(term.matchExpressions).flatMap((r, i) => validateNodeSelectorRequirement(r, index(child(p, 'matchExpressions'), i), false)),
    ...arrayOf<unknown>(term.matchFields).flatMap((r, i) => validateNodeSelectorRequirement(r, index(child(p, 'matchFields'), i), true)),
  ];
}

function validateWeight(weight: unknown, p: string): FieldCause[] {
  return typeof weight === 'number' && Number.isInteger(weight) && weight >= 1 && weight <= 100 ? [] : [invalid(p, weight ?? 0, 'must be in the range 1-100')];
}

function validateNodeAffinity(na: Record<string, unknown>, p: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const requiredTerms = na.requiredDuringSchedulingIgnoredDuringExecution;
  if (isObject(requiredTerms)) {
    const tp = child(child(p, 'requiredDuringSchedulingIgnoredDuringExecution'), 'nodeSelectorTerms');
    const terms = arrayOf<unknown>(requiredTerms.nodeSelectorTerms);
    if (terms.length === 0) causes.push(required(tp, 'must have at least one node selector term'));
    terms.forEach((t, i) => causes.push(...validateNodeSelectorTerm(t, index(tp, i))));
  }
  arrayOf<unknown>(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((pref, i) => {
    const pp = index(child(p, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
    if (!isObject(pref)) return void causes.push(invalid(pp, pref, 'must be an object'));
    causes.push(...validateWeight(pref.weight, child(pp, 'weight')));
    causes.push(...validateNodeSelectorTerm(pref.preference, child(pp, 'preference')));
  });
  return causes;
}

function validatePodAffinityTerm(term: unknown, p: string): FieldCause[] {
  if (!isObject(term)) return [invalid(p, term, 'must be an object')];
  const causes: FieldCause[] = [];
  if (!term.topologyKey) causes.push(required(child(p, 'topologyKey'), 'can not be empty'));
  else causes.push(...invalidEach(child(p, 'topologyKey'), term.topologyKey, isQualifiedName(String(term.topologyKey))));
  if (isSet(term.labelSelector)) causes.push(...validateLabelSelector(term.labelSelector as never, child(p, 'labelSelector')));
  if (isSet(term.namespaceSelector)) causes.push(...validateLabelSelector(term.namespaceSelector as never, child(p, 'namespaceSelector')));
  arrayOf<unknown>(term.namespaces).forEach((ns, i) => causes.push(...invalidEach(index(child(p, 'namespaces'), i), ns, isDNS1123Label(String(ns)))));
  return causes;
}

function validatePodAffinity(pa: Record<string, unknown>, p: string): FieldCause[] {
  const causes: FieldCause[] = [];
  arrayOf<unknown>(pa.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) =>
    causes.push(...validatePodAffinityTerm(t, index(child(p, 'requiredDuringSchedulingIgnoredDuringExecution'), i))),
  );
  arrayOf<unknown>(pa.preferredDuringSchedulingIgnoredDuringExecution).forEach((w, i) => {
    const wp = index(child(p, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
    if (!isObject(w)) return void causes.push(invalid(wp, w, 'must be an object'));
    causes.push(...validateWeight(w.weight, child(wp, 'weight')));
    causes.push(...validatePodAffinityTerm(w.podAffinityTerm, child(wp, 'podAffinityTerm')));
  });
  return causes;
}

export function validateAffinity(affinity: unknown, p: string): FieldCause[] {
  if (!isSet(affinity)) return [];
  if (!isObject(affinity)) return [invalid(p, affinity, 'must be an object')];
  const causes: FieldCause[] = [];
  if (isObject(affinity.nodeAffinity)) causes.push(...validateNodeAffinity(affinity.nodeAffinity, child(p, 'nodeAffinity')));
  if (isObject(affinity.podAffinity)) causes.push(...validatePodAffinity(affinity.podAffinity, child(p, 'podAffinity')));
  if (isObject(affinity.podAntiAffinity)) causes.push(...validatePodAffinity(affinity.podAntiAffinity, child(p, 'podAntiAffinity')));
  return causes;
}

export function validateTopologySpreadConstraints(constraints: unknown, p: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  arrayOf<unknown>(constraints).forEach((c, i) => {
    const cp = index(p, i);
    if (!isObject(c)) return void causes.push(invalid(cp, c, 'must be an object'));
    if (!(typeof c.maxSkew === 'number' && Number.isInteger(c.maxSkew) && c.maxSkew > 0)) {
      causes.push(invalid(child(cp, 'maxSkew'), c.maxSkew ?? 0, 'must be greater than zero'));
    }
    if (!c.topologyKey) causes.push(required(child(cp, 'topologyKey'), 'can not be empty'));
    else causes.push(...invalidEach(child(cp, 'topologyKey'), c.topologyKey, isQualifiedName(String(c.topologyKey))));
    if (!WHEN_UNSATISFIABLE.includes(String(c.whenUnsatisfiable))) {
      causes.push(notSupported(child(cp, 'whenUnsatisfiable'), c.whenUnsatisfiable ?? '', WHEN_UNSATISFIABLE));
    }
    if (isSet(c.minDomains)) {
      if (!(typeof c.minDomains === 'number' && c.minDomains > 0)) causes.push(invalid(child(cp, 'minDomains'), c.minDomains, 'must be greater than 0'));
      else if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        causes.push(invalid(child(cp, 'minDomains'), c.minDomains, 'can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway'));
      }
    }
    if (isSet(c.labelSelector)) causes.push(...validateLabelSelector(c.labelSelector as never, child(cp, 'labelSelector')));
    const k = `{${String(c.topologyKey)}, ${String(c.whenUnsatisfiable)}}`;
    if (seen.has(k)) causes.push(duplicate(cp, k));
    seen.add(k);
  });
  return causes;
}
