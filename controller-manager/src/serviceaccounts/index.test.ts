import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { EventRecorder, silentLogger } from '@mk8s/shared';
import { FakeClient } from '@mk8s/shared/testing';
import { DEFAULT_CONTROLLER_OPTIONS, type ControllerContext, type ControllerOptions } from '../context.js';
import { InformerFactory } from '../informer-factory.js';
import { CONTROLLERS } from '../controllers/index.js';
import { rootCACertPublisherController, serviceAccountController } from './index.js';

/** A context whose informers record what was asked for; its signal is already aborted, so no worker runs. */
function context(options: Partial<ControllerOptions>): { ctx: ControllerContext; watched: () => string[] } {
  const client = new FakeClient();
  const informers = new InformerFactory(client, silentLogger());
  const get = vi.spyOn(informers, 'get');
  vi.spyOn(informers, 'waitForSync').mockRejectedValue(new Error('not started'));
  const abort = new AbortController();
  abort.abort();
  const ctx: ControllerContext = {
    client,
    informers,
    recorder: new EventRecorder({ client, component: 'test' }),
    logger: silentLogger(),
    metrics: new Registry(),
    options: { ...DEFAULT_CONTROLLER_OPTIONS, ...options },
    signal: abort.signal,
  };
  return { ctx, watched: () => get.mock.calls.map(([type]) => type.plural).sort() };
}

function caFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mk8s-root-ca-')), 'ca.crt');
  writeFileSync(path, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  return path;
}

describe('service account controllers start', () => {
  it.each<[string, () => Partial<ControllerOptions>, typeof serviceAccountController, string[]]>([
    ['serviceaccount always runs', () => ({}), serviceAccountController, ['namespaces', 'serviceaccounts']],
    ['root-ca-cert-publisher without --root-ca-file does not run', () => ({}), rootCACertPublisherController, []],
    ['root-ca-cert-publisher with --root-ca-file watches namespaces and configmaps', () => ({ rootCAFile: caFile() }), rootCACertPublisherController, ['configmaps', 'namespaces']],
  ])('%s', async (_name, options, controller, want) => {
    const { ctx, watched } = context(options());
    await controller.start(ctx);
    expect(watched()).toEqual(want);
  });

  it('registers both under their Kubernetes names', () => {
    expect(CONTROLLERS.map((c) => c.name)).toEqual(expect.arrayContaining(['serviceaccount', 'root-ca-cert-publisher']));
  });
});
