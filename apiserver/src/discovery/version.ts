/**
 * The `/version` document. The `kubectl` dispatcher on this project's machines picks the
 * `kubectl.1.NN` binary whose minor matches `minor`, so keep it at a version we test with.
 */

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export const SERVER_GIT_VERSION = 'v1.32.0-mk8s';

export function versionInfo(): VersionInfo {
  return {
    major: '1',
    minor: '32',
    gitVersion: SERVER_GIT_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
