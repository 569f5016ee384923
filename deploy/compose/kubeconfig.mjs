// Writes an admin kubeconfig for the compose cluster: node kubeconfig.mjs PKI_DIR SERVER OUT
// Also drops a `.gitignore` of `*` beside it. The file is chowned to the owner of OUT's directory (the user's bind-mounted folder), mode 0600.
import { chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const [pki, server, out] = process.argv.slice(2);
if (!pki || !server || !out) throw new Error('usage: kubeconfig.mjs PKI_DIR SERVER OUT');
const ca = readFileSync(`${pki}/ca.crt`).toString('base64');
const token = readFileSync(`${pki}/token-admin`, 'utf8').trim();
const text = `apiVersion: v1
kind: Config
clusters:
- name: mk8s-compose
  cluster:
    server: ${server}
    certificate-authority-data: ${ca}
users:
- name: admin
  user:
    token: ${token}
contexts:
- name: mk8s-compose
  context:
    cluster: mk8s-compose
    user: admin
current-context: mk8s-compose
`;
mkdirSync(dirname(out), { recursive: true });
// the folder is cluster state, never source: keep it out of git without touching the repo's .gitignore
writeFileSync(`${dirname(out)}/.gitignore`, '*\n');
writeFileSync(out, text, { mode: 0o600 });
const owner = statSync(dirname(out));
chownSync(out, owner.uid, owner.gid);
console.log(`wrote ${out} (server ${server})`);
