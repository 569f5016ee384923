import { describe, expect, it } from 'vitest';
import { defaultPullPolicy } from './images.js';
import { splitImageRef } from '../images/ensure.js';

describe('defaultPullPolicy', () => {
  it.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['mk8s/busybox:1', 'IfNotPresent'],
    ['localhost:5000/busybox', 'Always'],
    ['localhost:5000/busybox:1.2', 'IfNotPresent'],
    ['busybox@sha256:abc', 'IfNotPresent'],
  ])('%s -> %s', (image, want) => {
    expect(defaultPullPolicy(image)).toBe(want);
  });
});

describe('splitImageRef', () => {
  it.each([
    ['mk8s/pause:3.9', { repo: 'mk8s/pause', tag: '3.9' }],
    ['busybox', { repo: 'busybox', tag: 'latest' }],
    ['localhost:5000/x', { repo: 'localhost:5000/x', tag: 'latest' }],
  ])('%s', (image, want) => {
    expect(splitImageRef(image)).toEqual(want);
  });
});
