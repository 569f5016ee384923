import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { bindAttachesDeprecatedProperty, installFastAsyncResourceBind } from './async-resource-bind.js';

describe('installFastAsyncResourceBind', () => {
  const before = bindAttachesDeprecatedProperty();
  const installedNow = installFastAsyncResourceBind();

  it('installs exactly when Node attaches the deprecated property, and only once', () => {
    expect(installedNow).toBe(before);
    expect(installFastAsyncResourceBind()).toBe(false);
    expect(bindAttachesDeprecatedProperty()).toBe(false);
  });

  it('runs the bound function in the async context the resource was created in', () => {
    const als = new AsyncLocalStorage<string>();
    const resource = als.run('request-1', () => new AsyncResource('test'));
    const bound = resource.bind(() => als.getStore());
    expect(als.run('request-2', () => bound())).toBe('request-1');
    expect(bound()).toBe('request-1');
  });

  it('passes arguments, returns the result, and keeps the length', () => {
    const bound = new AsyncResource('test').bind((a: number, b: number) => a + b);
    expect(bound(2, 3)).toBe(5);
    expect(bound.length).toBe(2);
  });

  it.each([
    { name: 'the caller’s this without thisArg', thisArg: undefined, want: 'caller' },
    { name: 'thisArg when given', thisArg: { tag: 'given' }, want: 'given' },
  ])('calls with $name', ({ thisArg, want }) => {
    const bound = new AsyncResource('test').bind(function (this: { tag: string }) {
      return this.tag;
    }, thisArg);
    expect(bound.call({ tag: 'caller' })).toBe(want);
  });

  it('refuses a non-function like Node does', () => {
    expect(() => new AsyncResource('test').bind(42 as unknown as () => void)).toThrow(TypeError);
  });

  it('the static AsyncResource.bind goes through it too', () => {
    const bound = AsyncResource.bind((x: number) => x * 2);
    expect(bound(21)).toBe(42);
    expect(Object.getOwnPropertyDescriptor(bound, 'asyncResource')).toBeUndefined();
  });
});
