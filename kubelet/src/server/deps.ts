/** What the kubelet server's handlers need: Docker, this node's name, the authenticator, a logger. */
import type Docker from 'dockerode';
import type { Logger } from '@mk8s/shared';
import type { Authenticate } from './auth.js';

export interface ServerDeps {
  docker: Docker;
  nodeName: string;
  authenticate: Authenticate;
  logger: Logger;
}
