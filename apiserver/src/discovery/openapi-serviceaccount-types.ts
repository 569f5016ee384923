/**
 * OpenAPI models for service accounts: core/v1 ServiceAccount's references, projected
 * volumes (what a kube-api-access volume is made of), authentication.k8s.io/v1 TokenRequest
 * and SelfSubjectReview, in the notation of openapi-types.ts, with the descriptions
 * `kubectl explain` prints.
 */
import type { TypeSpec } from './openapi-types.js';

const CORE = 'io.k8s.api.core.v1';
const AUTHN = 'io.k8s.api.authentication.v1';

export const TOKEN_REQUEST_SPEC = `${AUTHN}.TokenRequestSpec`;
export const TOKEN_REQUEST_STATUS = `${AUTHN}.TokenRequestStatus`;
export const SELF_SUBJECT_REVIEW_STATUS = `${AUTHN}.SelfSubjectReviewStatus`;

const keyToPath = `[]#${CORE}.KeyToPath`;

export const SERVICE_ACCOUNT_TYPES: Record<string, TypeSpec> = {
  [`${CORE}.ObjectReference`]: {
    description: 'ObjectReference contains enough information to let you inspect or modify the referred object.',
    fields: {
      apiVersion: ['string', 'API version of the referent.'],
      fieldPath: ['string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.'],
      kind: ['string', 'Kind of the referent.'],
      name: ['string', 'Name of the referent.'],
      namespace: ['string', 'Namespace of the referent.'],
      resourceVersion: ['string', 'Specific resourceVersion to which this reference is made, if any.'],
      uid: ['string', 'UID of the referent.'],
    },
  },
  [`${CORE}.LocalObjectReference`]: {
    description: 'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.',
    fields: { name: ['string', 'Name of the referent.'] },
  },
  [`${CORE}.KeyToPath`]: {
    description: 'Maps a string key to a path within a volume.',
    required: ['key', 'path'],
    fields: {
      key: ['string', 'key is the key to project.'],
      path: ['string', "path is the relative path of the file to map the key to. May not be an absolute path. May not contain the path element '..'. May not start with the string '..'."],
      mode: ['integer', 'mode is Optional: mode bits used to set permissions on this file.'],
    },
  },
  [`${CORE}.ProjectedVolumeSource`]: {
    description: 'Represents a projected volume source',
    fields: {
      defaultMode: ['integer', 'defaultMode are the mode bits used to set permissions on created files by default. Defaults to 0644.'],
      sources: [`[]#${CORE}.VolumeProjection`, 'sources is the list of volume projections. Each entry in this list handles one source.'],
    },
  },
  [`${CORE}.VolumeProjection`]: {
    description: 'Projection that may be projected along with other supported volume types. Exactly one of these fields must be set.',
    fields: {
      configMap: [`#${CORE}.ConfigMapProjection`, 'configMap information about the configMap data to project'],
      downwardAPI: [`#${CORE}.DownwardAPIProjection`, 'downwardAPI information about the downwardAPI data to project'],
      secret: [`#${CORE}.SecretProjection`, 'secret information about the secret data to project'],
      serviceAccountToken: [`#${CORE}.ServiceAccountTokenProjection`, 'serviceAccountToken is information about the serviceAccountToken data to project'],
    },
  },
  [`${CORE}.ConfigMapProjection`]: {
    description: 'Adapts a ConfigMap into a projected volume.',
    fields: {
      items: [keyToPath, 'items if unspecified, each key-value pair in the Data field of the referenced ConfigMap will be projected into the volume as a file whose name is the key and content is the value.'],
      name: ['string', 'Name of the referent.'],
      optional: ['boolean', 'optional specify whether the ConfigMap or its keys must be defined'],
    },
  },
  [`${CORE}.SecretProjection`]: {
    description: 'Adapts a secret into a projected volume.',
    fields: {
      items: [keyToPath, 'items if unspecified, each key-value pair in the Data field of the referenced Secret will be projected into the volume as a file whose name is the key and content is the value.'],
      name: ['string', 'Name of the referent.'],
      optional: ['boolean', 'optional field specify whether the Secret or its key must be defined'],
    },
  },
  [`${CORE}.DownwardAPIProjection`]: {
    description: 'Represents downward API info for projecting into a projected volume.',
    fields: { items: ['[]object', 'Items is a list of DownwardAPIVolume file'] },
  },
  [`${CORE}.ServiceAccountTokenProjection`]: {
    description: 'ServiceAccountTokenProjection represents a projected service account token volume.',
    required: ['path'],
    fields: {
      audience: ['string', 'audience is the intended audience of the token. A recipient of a token must identify itself with an identifier specified in the audience of the token, and otherwise should reject the token. The audience defaults to the identifier of the apiserver.'],
      expirationSeconds: ['integer', 'expirationSeconds is the requested duration of validity of the service account token. The kubelet will start trying to rotate the token if the token is older than 80 percent of its time to live or if the token is older than 24 hours. Defaults to 1 hour and must be at least 10 minutes.'],
      path: ['string', 'path is the path relative to the mount point of the file to project the token into.'],
    },
  },
  [TOKEN_REQUEST_SPEC]: {
    description: 'TokenRequestSpec contains client provided parameters of a token request.',
    required: ['audiences'],
    fields: {
      audiences: ['[]string', 'Audiences are the intendend audiences of the token. A recipient of a token must identify themself with an identifier in the list of audiences of the token, and otherwise should reject the token.'],
      boundObjectRef: [`#${AUTHN}.BoundObjectReference`, "BoundObjectRef is a reference to an object that the token will be bound to. The token will only be valid for as long as the bound object exists."],
      expirationSeconds: ['integer', 'ExpirationSeconds is the requested duration of validity of the request. The token issuer may return a token with a different validity duration so a client needs to check the \'expiration\' field in a response.'],
    },
  },
  [`${AUTHN}.BoundObjectReference`]: {
    description: 'BoundObjectReference is a reference to an object that a token is bound to.',
    fields: {
      apiVersion: ['string', 'API version of the referent.'],
      kind: ['string', "Kind of the referent. Valid kinds are 'Pod' and 'Secret'."],
      name: ['string', 'Name of the referent.'],
      uid: ['string', 'UID of the referent.'],
    },
  },
  [TOKEN_REQUEST_STATUS]: {
    description: 'TokenRequestStatus is the result of a token request.',
    required: ['token', 'expirationTimestamp'],
    fields: {
      expirationTimestamp: ['string', 'ExpirationTimestamp is the time of expiration of the returned token.'],
      token: ['string', 'Token is the opaque bearer token.'],
    },
  },
  [SELF_SUBJECT_REVIEW_STATUS]: {
    description: 'SelfSubjectReviewStatus is filled by the kube-apiserver and sent back to a user.',
    fields: { userInfo: [`#${AUTHN}.UserInfo`, 'User attributes of the user making this request.'] },
  },
  [`${AUTHN}.UserInfo`]: {
    description: 'UserInfo holds the information about the user needed to implement the user.Info interface.',
    fields: {
      extra: ['object', 'Any additional information provided by the authenticator.'],
      groups: ['[]string', 'The names of groups this user is a part of.'],
      uid: ['string', 'A unique value that identifies this user across time.'],
      username: ['string', 'The name that uniquely identifies this user among all active users.'],
    },
  },
};
