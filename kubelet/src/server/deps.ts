/** What the kubelet server's handlers need: Docker, this node's name, the authenticator and authorizer, a logger. */
import type Docker from 'dockerode';
import type { Logger } from '@mk8s/shared';
import type { Authenticate, Authorize } from './auth.js';

export interface ServerDeps {
  docker: Docker;
  nodeName: string;
  authenticate: Authenticate;
  /** absent: every authenticated user may do everything */
  authorize?: Authorize;
  logger: Logger;
}
