/**
 * Status bodies the kubelet server answers with: `apiStatus` for HTTP errors (a v1 Status with a
 * code), and the remotecommand status sent on the exec error channel at the end of a session
 * (Success, NonZeroExitCode with an ExitCode cause that kubectl turns into its exit code, or a
 * plain Failure message).
 */
import type { Status, StatusDetails } from '@mk8s/shared';

export function apiStatus(code: number, reason: string, message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** The Status sent on channel 3 of an exec session. */
export interface ExecStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

export const execSuccess = (): ExecStatus => ({ metadata: {}, status: 'Success' });

export function execExitFailure(command: string[], exitCode: number): ExecStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

export function execError(message: string, reason = 'InternalError', code = 500): ExecStatus {
  return { metadata: {}, status: 'Failure', message, reason, code };
}
