/**
 * The file set of a `projected` volume: the files of every source merged into one directory
 * (a later source's file replaces an earlier one at the same path; the apiserver refuses such
 * pods anyway). Each configMap/secret/downwardAPI source makes the files its stand-alone
 * volume would (keys as files, or the listed items at their paths), with the item's mode,
 * else the volume's defaultMode (0644). A missing optional configMap/secret contributes
 * nothing; a missing non-optional one throws ContainerConfigError, as does a
 * serviceAccountToken source whose token cannot be fetched (or when no TokenManager is
 * given). The token is written to the source's `path` with the volume's defaultMode.
 */
import type { Pod, Volume } from '@mk8s/shared';
import { ContainerConfigError, type EnvSources } from './env.js';
import type { TokenManager } from './token-manager.js';
import { configMapFiles, downwardFiles, secretFiles, type FileSet } from './volume-files.js';

export const PROJECTED_DEFAULT_MODE = 0o644;

export async function projectedFiles(pod: Pod, src: NonNullable<Volume['projected']>, sources: EnvSources, tokens?: TokenManager): Promise<FileSet> {
  const ns = pod.metadata.namespace ?? 'default';
  const defaultMode = src.defaultMode ?? PROJECTED_DEFAULT_MODE;
  const out: FileSet = new Map();
  const add = (files: FileSet): void => {
    for (const [path, f] of files) out.set(path, f);
  };
  for (const s of src.sources ?? []) {
    if (s.configMap) {
      const name = s.configMap.name ?? '';
      const cm = await sources.configMap(ns, name);
      if (!cm && !s.configMap.optional) throw new ContainerConfigError(`configmap "${name}" not found`);
      add(configMapFiles(cm, { ...s.configMap, defaultMode }));
    } else if (s.secret) {
      const name = s.secret.name ?? '';
      const secret = await sources.secret(ns, name);
      if (!secret && !s.secret.optional) throw new ContainerConfigError(`secret "${name}" not found`);
      add(secretFiles(secret, { ...s.secret, defaultMode }));
    } else if (s.downwardAPI) {
      add(downwardFiles(pod, { ...s.downwardAPI, defaultMode }, pod.spec.nodeName ?? ''));
    } else if (s.serviceAccountToken) {
      if (!tokens) throw new ContainerConfigError('serviceAccountToken sources are not supported here');
      const token = await tokens.token(pod, s.serviceAccountToken);
      out.set(s.serviceAccountToken.path, { content: Buffer.from(token, 'utf8'), mode: defaultMode });
    }
  }
  return out;
}
