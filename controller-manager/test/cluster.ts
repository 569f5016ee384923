/**
 * End-to-end fixture for CM-B's controller tests: a real control plane (etcd + apiserver) and
 * the compiled controller-manager process pointed at it, without leader election. Test-only.
 */
import { spawnComponent, startControlPlane, type ManagedProcess, type TestControlPlane } from '@mk8s/shared/testing';

export interface ClusterWithControllers {
  cp: TestControlPlane;
  cm: ManagedProcess;
  stop(): Promise<void>;
}

export async function startClusterWithControllers(cmArgs: string[] = [], apiserverArgs: string[] = []): Promise<ClusterWithControllers> {
  const cp = await startControlPlane({ apiserverArgs });
  const cm = spawnComponent(
    'controller-manager',
    ['--kubeconfig', cp.kubeconfigFor('controller-manager'), '--ops-port', '0', '--no-leader-elect', '--node-monitor-grace-period', '3s', '--node-monitor-period', '1s', ...cmArgs],
    { env: { LOG_LEVEL: process.env.MK8S_TEST_LOG_LEVEL ?? 'info' } },
  );
  return {
    cp,
    cm,
    async stop() {
      await cm.stop();
      await cp.stop();
    },
  };
}
