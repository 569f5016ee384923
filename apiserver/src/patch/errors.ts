/**
 * The error shapes kube-apiserver's patch handler answers with, so kubectl prints the same thing.
 */
import { ApiError } from '@mk8s/shared';

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

/**
 * 422 as Kubernetes' NewGenericServerResponse builds it for a patch that cannot be applied
 * (failed json-patch `test`, missing path, list of lists): fixed message, the detail in a cause.
 * kubectl prints `The request is invalid: the server rejected our request due to an error in our request`.
 */
export const patchNotApplicable = (serverMessage: string): ApiError =>
  new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message: serverMessage }],
  });
