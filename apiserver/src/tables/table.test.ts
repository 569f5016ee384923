import { describe, expect, it } from 'vitest';
import { ApiError, type KubeObject } from '@mk8s/shared';
import { bookmarkTable, parseIncludeObject, tableForWatchEvent, toTable, wantsTable } from './table.js';

const NOW = new Date('2026-01-01T12:00:00Z');
const KUBECTL_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const cm = (name: string, rv: string): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: rv,
      labels: { app: name },
      annotations: { note: 'x' },
      creationTimestamp: '2026-01-01T11:59:00Z',
      managedFields: [{ manager: 'kubectl' }],
    },
    data: { k: 'v' },
  }) as KubeObject;

describe('wantsTable', () => {
  it.each<[string, string | undefined, boolean]>([
    ['kubectl get', KUBECTL_ACCEPT, true],
    ['params in another order', 'application/json;g=meta.k8s.io;v=v1;as=Table', true],
    ['v1beta1 only', 'application/json;as=Table;v=v1beta1;g=meta.k8s.io', true],
    ['plain JSON first', `application/json,${KUBECTL_ACCEPT}`, false],
    ['higher q for the table', 'application/json;q=0.5,application/json;as=Table;v=v1;g=meta.k8s.io', true],
    ['plain JSON', 'application/json', false],
    ['no header', undefined, false],
    ['wildcard', '*/*', false],
    ['unknown table version', 'application/json;as=Table;v=v2;g=meta.k8s.io', false],
    ['protobuf table is skipped for JSON fallback', 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json', false],
    ['protobuf table then JSON table', 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io', true],
    ['discovery media type', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', false],
  ])('%s', (_n, accept, want) => {
    expect(wantsTable(accept)).toBe(want);
  });
});

describe('toTable', () => {
  it('renders a list with PartialObjectMetadata rows by default', () => {
    const t = toTable('ConfigMap', [cm('a', '5'), cm('b', '7')], { now: NOW, resourceVersion: '9', continue: 'tok' });
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '9', continue: 'tok' });
    expect(t.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Data', 'string', '', 0],
      ['Age', 'string', '', 0],
    ]);
    expect(t.columnDefinitions.every((c) => c.description.length > 0)).toBe(true);
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['a', 1, '60s'],
      ['b', 1, '60s'],
    ]);
    expect(t.rows[0]?.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: {
        name: 'a',
        namespace: 'default',
        uid: 'uid-a',
        resourceVersion: '5',
        labels: { app: 'a' },
        annotations: { note: 'x' },
        creationTimestamp: '2026-01-01T11:59:00Z',
      },
    });
  });

  it.each([
    ['Object', (o: KubeObject) => o],
    ['None', () => undefined],
  ] as const)('includeObject=%s', (include, expected) => {
    const obj = cm('a', '5');
    const t = toTable('ConfigMap', [obj], { now: NOW, includeObject: include });
    expect(t.rows[0]?.object).toEqual(expected(obj));
  });

  it('answers an empty list with columns and no rows', () => {
    const t = toTable('Pod', [], { now: NOW, resourceVersion: '3' });
    expect(t.rows).toEqual([]);
    expect(t.columnDefinitions[0]?.name).toBe('Name');
    expect(t.metadata).toEqual({ resourceVersion: '3' });
  });

  it('uses the negotiated table version', () => {
    expect(toTable('Pod', [], { tableVersion: 'v1beta1' }).apiVersion).toBe('meta.k8s.io/v1beta1');
  });

  it('makes a one-row table per watch event carrying the object resourceVersion', () => {
    const t = tableForWatchEvent('ConfigMap', cm('a', '42'), { now: NOW });
    expect(t.rows).toHaveLength(1);
    expect(t.metadata.resourceVersion).toBe('42');
    expect(t.columnDefinitions).toHaveLength(3);
  });
});

describe('bookmarkTable', () => {
  it('carries only the resourceVersion', () => {
    expect(bookmarkTable('77')).toEqual({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '77' }, columnDefinitions: [], rows: [] });
  });
});

describe('parseIncludeObject', () => {
  it.each([
    [undefined, 'Metadata'],
    ['', 'Metadata'],
    ['None', 'None'],
    ['Object', 'Object'],
    ['Metadata', 'Metadata'],
  ] as const)('%s -> %s', (value, want) => {
    expect(parseIncludeObject(value)).toBe(want);
  });

  it('rejects unknown values with a 400', () => {
    const caught = (() => {
      try {
        parseIncludeObject('All');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).toStatus()).toMatchObject({ code: 400, reason: 'BadRequest' });
  });
});
