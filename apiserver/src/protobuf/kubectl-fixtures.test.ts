import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeProtobufObject } from './index.js';

// Bodies recorded from stock kubectl 1.32 (`kubectl.1.32 --server http://127.0.0.1:PORT create ...`),
// next to what the same command prints with `-o json --dry-run=client`.
const fixture = (name: string): Buffer => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));
const json = (name: string): unknown => JSON.parse(fixture(name).toString('utf8'));

describe('decodeProtobufObject on bodies sent by kubectl 1.32', () => {
  it.each([
    ['namespace', 'create namespace x'],
    ['configmap', 'create configmap cm1 --from-literal=a=1 --from-literal=b=two'],
    ['secret', 'create secret generic s1 --from-literal=user=admin --from-literal=pw=s3cr3t'],
    ['deployment', 'create deployment web --image=nginx:1.25 --replicas=2 --port=80'],
    ['service', 'create service clusterip svc1 --tcp=80:8080'],
    ['job', 'create job j1 --image=busybox -- echo hi'],
    ['priorityclass', 'create priorityclass high --value=1000 --description=important'],
    ['autoscale', 'autoscale deployment web --min=2 --max=5 --cpu-percent=80'],
  ])('%s (%s) equals the dry-run JSON', (name) => {
    expect(decodeProtobufObject(fixture(`${name}.pb`))).toEqual(json(`${name}.dry-run.json`));
  });

  it('kubectl 1.33 autoscale sends autoscaling/v2 (1.32 sends v1; 1.33 sends namespace/deployment/secret bodies identical to 1.32)', () => {
    expect(decodeProtobufObject(fixture('autoscale-v2-1.33.pb'))).toEqual(json('autoscale-v2-1.33.dry-run.json'));
  });

  it('auth can-i create pods: SelfSubjectAccessReview', () => {
    expect(decodeProtobufObject(fixture('cani.pb'))).toEqual({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } },
      status: { allowed: false },
    });
  });
});
