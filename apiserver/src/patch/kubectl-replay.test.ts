import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyPatch, patchKindFromContentType } from './index.js';

/*
 * Patches recorded from stock kubectl 1.32, replayed in order on the created Deployment:
 * d1 = app(nginx:1, env A=1 B=2, port 80) + side(busybox), replicas 1, labels {app}
 * d2 = app(nginx:2, env A=1 C=3, ports 80 443) + mid(alpine) + side(busybox), replicas 3, labels {app, tier}
 */
interface Step {
  command: string;
  contentType: string;
  body: string;
}
interface Recording {
  create: Record<string, unknown>;
  steps: Step[];
}
type AnyObj = Record<string, any>; // test-only: reaching into patched objects

const rec = JSON.parse(
  readFileSync(fileURLToPath(new URL('./fixtures/kubectl-1.32-deployment.json', import.meta.url)), 'utf8'),
) as Recording;

const summary = (d: AnyObj) => ({
  labels: d.metadata.labels,
  replicas: d.spec.replicas,
  restartedAt: d.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'],
  containers: (d.spec.template.spec.containers as AnyObj[]).map((c) => ({
    name: c.name,
    image: c.image,
    env: (c.env as AnyObj[] | undefined)?.map((e) => `${e.name}=${e.value}`),
    ports: (c.ports as AnyObj[] | undefined)?.map((p) => p.containerPort),
  })),
});

const d2 = {
  labels: { app: 'web', tier: 'fe' },
  replicas: 3,
  containers: [
    { name: 'app', image: 'nginx:2', env: ['A=1', 'C=3'], ports: [80, 443] },
    { name: 'mid', image: 'alpine', env: undefined, ports: undefined },
    { name: 'side', image: 'busybox', env: undefined, ports: undefined },
  ],
};

const expected: Array<Record<string, unknown>> = [
  { ...d2, restartedAt: undefined },
  { ...d2, restartedAt: undefined, containers: [d2.containers[0], d2.containers[1], { ...d2.containers[2], image: 'busybox:2' }] },
  { restartedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
  { containers: [{ ...d2.containers[0], env: ['A=1', 'C=3', 'D=4'] }, d2.containers[1], { ...d2.containers[2], image: 'busybox:2' }] },
  {
    // back to d1: tier and mid removed, env C deleted, D (not kubectl-applied) kept, port 443 deleted
    labels: { app: 'web' },
    replicas: 1,
    containers: [
      { name: 'app', image: 'nginx:1', env: ['A=1', 'B=2', 'D=4'], ports: [80] },
      { name: 'side', image: 'busybox', env: undefined, ports: undefined },
    ],
  },
  {
    // simplified server-side apply merges d2 in (real SSA would also drop fields it owned before)
    labels: { app: 'web', tier: 'fe' },
    replicas: 3,
    containers: [
      { name: 'app', image: 'nginx:2', env: ['A=1', 'C=3', 'B=2', 'D=4'], ports: [80, 443] },
      { name: 'mid', image: 'alpine', env: undefined, ports: undefined },
      { name: 'side', image: 'busybox', env: undefined, ports: undefined },
    ],
  },
  { labels: { app: 'web', tier: 'fe' }, replicas: 3 },
];

describe('replaying kubectl 1.32 patches on a Deployment', () => {
  const states: AnyObj[] = [];
  let live: AnyObj = { ...rec.create, metadata: { ...(rec.create.metadata as AnyObj), uid: 'uid-web', namespace: 'default' } };
  for (const step of rec.steps) {
    live = applyPatch('Deployment', live, patchKindFromContentType(step.contentType), step.body) as AnyObj;
    states.push(live);
  }

  it.each(rec.steps.map((s, i) => ({ command: s.command, contentType: s.contentType, i })))('$command ($contentType)', ({ i }) => {
    expect(summary(states[i] as AnyObj)).toMatchObject(expected[i] as Record<string, unknown>);
  });

  it('keeps the last-applied annotation kubectl sent and no $-directive keys', () => {
    const last = states[states.length - 1] as AnyObj;
    expect(JSON.parse(last.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).spec.replicas).toBe(1);
    expect(JSON.stringify(last)).not.toMatch(/"\$(patch|setElementOrder|retainKeys|deleteFromPrimitiveList)/);
  });
});
