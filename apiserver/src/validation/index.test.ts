import { describe, it, expect } from 'vitest';
import { ALL_RESOURCES, newInvalid, type KubeObject, type Pod } from '@mk8s/shared';
import { strategies, validateObjectMeta } from './index.js';

describe('strategies table', () => {
  it.each(ALL_RESOURCES.map((r) => [r.kind]))('%s has a strategy with validate', (kind) => {
    expect(strategies[kind]?.validate).toBeTypeOf('function');
    expect(strategies[kind]?.validateUpdate).toBeTypeOf('function');
    expect(strategies[kind]?.validateStatusUpdate).toBeTypeOf('function');
  });

  it('produces the 422 message kubectl shows', () => {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } };
    const s = strategies.Pod!;
    s.default?.(pod);
    const causes = [...validateObjectMeta(pod.metadata, { namespaced: true, nameValidator: 'subdomain' }), ...(s.validate?.(pod) ?? [])];
    const err = newInvalid('Pod', '', 'x', causes);
    expect(err.code).toBe(422);
    expect(err.message).toBe('Pod "x" is invalid: spec.containers[0].image: Required value');
    expect(err.details?.causes).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }]);
  });

  it('turns an unexpected TypeError into a 400 BadRequest', () => {
    const hostile = {
      metadata: {},
      get spec(): unknown {
        throw new TypeError('boom');
      },
    } as unknown as KubeObject;
    expect(() => strategies.Pod!.validate!(hostile)).toThrow(expect.objectContaining({ code: 400, reason: 'BadRequest', message: 'malformed Pod: boom' }));
  });

  it('tolerates garbage shapes without throwing', () => {
    const garbage: unknown[] = [
      { metadata: {}, spec: 'nope' },
      { metadata: {}, spec: { containers: 'x', volumes: 5, ports: {}, selector: 3, template: [] } },
      { metadata: {}, spec: { containers: [null, 3, 'a'], initContainers: [{}], tolerations: [null] } },
      { metadata: {}, data: 'x', stringData: 5, subsets: [null] },
      {
        metadata: {},
        spec: {
          containers: [{ name: 'a', ports: [null, 'x'], env: [null, 5], volumeMounts: [null], resources: { limits: 'x', requests: [] }, livenessProbe: 'x', readinessProbe: { httpGet: null } }],
          volumes: [null, 'v', { name: 'x', configMap: { items: [null] } }],
        },
      },
      {
        metadata: {},
        spec: {
          ports: [null, 'p'],
          selector: { matchExpressions: [null], matchLabels: 'x' },
          template: { metadata: { labels: 'x' }, spec: null },
          strategy: { rollingUpdate: 'x' },
          metrics: [null, { type: 'Resource', resource: 'x' }],
          scaleTargetRef: null,
          capacity: 'x',
          accessModes: 'x',
          resources: null,
          taints: [null],
        },
      },
      {
        metadata: {},
        spec: { clusterIP: 5, type: 3, ports: [{ port: 'x', targetPort: null, nodePort: 'y' }], externalIPs: [null], template: { spec: { containers: [{ name: 5, image: 6 }] } } },
        status: { capacity: 'x', phase: 5 },
      },
      { metadata: {}, spec: null, status: null, data: { a: 5 }, binaryData: { b: null }, involvedObject: null, provisioner: 5, parameters: 'x' },
    ];
    for (const [kind, s] of Object.entries(strategies)) {
      for (const g of garbage) {
        const obj = structuredClone(g) as KubeObject;
        expect(() => {
          s.default?.(obj);
          s.validate?.(obj);
          s.validateUpdate?.(obj, structuredClone(g) as KubeObject);
          s.validateStatusUpdate?.(obj, structuredClone(g) as KubeObject);
        }, kind).not.toThrow();
      }
    }
  });
});
