/**
 * A process-wide fix for a Node 20 slowdown every etcd call pays. Node's HTTP/2 client (which
 * gRPC, and so the etcd3 library, runs on) binds one callback per request with
 * AsyncResource#bind, and on Node 20 that attaches a deprecated `asyncResource` accessor
 * (DEP0172) built from two `util.deprecate` wrappers whose prototypes are re-parented: about
 * 0.1 ms of CPU and a burst of garbage per etcd request (nodejs/node#58218; Node 24 stopped
 * re-parenting, Node's main branch removed the property, nodejs/node#58618). The apiserver
 * installs it at start, and so does the benchmark's stack-floor server (bench/src/floor-server.ts).
 *
 * `installFastAsyncResourceBind` replaces AsyncResource#bind with one that behaves the same -
 * the bound function runs `fn` in the resource's async scope, with the caller's `this` or the
 * given `thisArg`, and keeps `fn.length` - minus the deprecated property. It does nothing on a
 * Node whose bind no longer attaches that property.
 */
import { AsyncResource } from 'node:async_hooks';

type AnyFunction = (...args: unknown[]) => unknown;

/** Whether this Node's AsyncResource#bind still attaches the deprecated `asyncResource` property. */
export function bindAttachesDeprecatedProperty(): boolean {
  const bound = new AsyncResource('mk8s-bind-probe').bind(() => undefined);
  // The descriptor is read rather than the property, which would print the deprecation warning.
  return Object.getOwnPropertyDescriptor(bound, 'asyncResource') !== undefined;
}

function bind(this: AsyncResource, fn: AnyFunction, thisArg?: unknown): AnyFunction {
  if (typeof fn !== 'function') throw new TypeError(`The "fn" argument must be of type function. Received ${typeof fn}`);
  const resource = this;
  const bound =
    thisArg === undefined
      ? function (this: unknown, ...args: unknown[]) {
          return resource.runInAsyncScope(fn, this, ...args);
        }
      : function (...args: unknown[]) {
          return resource.runInAsyncScope(fn, thisArg, ...args);
        };
  Object.defineProperty(bound, 'length', { value: fn.length, configurable: true });
  return bound;
}

/** Installs the fast bind when this Node needs it; true when it did. */
export function installFastAsyncResourceBind(): boolean {
  if (AsyncResource.prototype.bind === (bind as unknown) || !bindAttachesDeprecatedProperty()) return false;
  Object.defineProperty(AsyncResource.prototype, 'bind', { value: bind, writable: true, configurable: true, enumerable: false });
  return true;
}
