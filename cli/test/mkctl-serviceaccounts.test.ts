/**
 * mkctl end to end with service accounts: `create serviceaccount`, `get sa`, `create token`
 * (a TokenRequest the apiserver signs) against a real control plane started with a service
 * account signing key, and the token then authenticating mkctl itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, startControlPlane, type TestControlPlane } from '@mk8s/shared/testing';

const MKCTL = join(REPO_ROOT, 'cli/dist/main.js');
let cp: TestControlPlane;

function mk(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MKCTL, '--kubeconfig', cp.kubeconfigFor('admin'), ...args], (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The payload of a JWT, decoded (no verification: the apiserver does that). */
const claims = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

beforeAll(async () => {
  cp = await startControlPlane({ serviceAccounts: true });
  // the harness runs RBAC: service accounts may read in default
  await cp.client.request('POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
    body: {
      metadata: { name: 'service-accounts-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts' }],
    },
  });
});

afterAll(async () => {
  await cp?.stop();
});

describe('mkctl and service accounts', () => {
  it('creates a service account and lists it', async () => {
    expect(await mk(['create', 'serviceaccount', 'robot'])).toMatchObject({ code: 0, stdout: 'serviceaccount/robot created\n' });
    const get = await mk(['get', 'sa', 'robot']);
    expect(get.code).toBe(0);
    expect(get.stdout.split('\n')[0]).toMatch(/^NAME\s+SECRETS\s+AGE$/);
    expect(get.stdout.split('\n')[1]).toMatch(/^robot\s+0\s+\d+s$/);
  });

  it('requests a token that authenticates as the service account', async () => {
    const res = await mk(['create', 'token', 'robot', '--duration', '15m']);
    expect(res.code).toBe(0);
    const token = res.stdout.trim();
    const c = claims(token);
    expect(c.sub).toBe('system:serviceaccount:default:robot');
    expect(Number(c.exp) - Number(c.iat)).toBe(900);
    const asRobot = await mk(['--token', token, 'get', 'sa', 'robot', '-o', 'name']);
    expect(asRobot).toMatchObject({ code: 0, stdout: 'serviceaccount/robot\n' });
  });

  it('prints the server\'s refusal in one line and exits non-zero', async () => {
    const missing = await mk(['create', 'token', 'nobody']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): serviceaccounts "nobody" not found');
    const tooShort = await mk(['create', 'token', 'robot', '--duration', '1m']);
    expect(tooShort.code).toBe(1);
    expect(tooShort.stderr).toContain('may not specify a duration less than 10 minutes');
    const local = await mk(['create', 'token', 'robot', '--duration', '1500ms']);
    expect(local.code).toBe(1);
    expect(local.stderr.trim()).toBe('error: --duration cannot be expressed in units less than seconds');
  });

  it('refuses a token once its service account is gone', async () => {
    const token = (await mk(['create', 'token', 'robot'])).stdout.trim();
    expect((await mk(['delete', 'sa', 'robot'])).code).toBe(0);
    const after = await mk(['--token', token, 'get', 'pods']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('Unauthorized');
  });
});
