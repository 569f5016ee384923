import { describe, expect, it } from 'vitest';
import { Balancer, type Endpoint } from './balancer.js';

const ep = (n: number): Endpoint => ({ ip: `10.244.1.${n}`, port: 8080 });
const keys = (es: Array<Endpoint | undefined>) => es.map((e) => (e ? `${e.ip}:${e.port}` : '-'));

describe('Balancer round robin', () => {
  it.each([
    { name: 'no endpoints picks nothing', endpoints: [], picks: 2, want: ['-', '-'] },
    { name: 'one endpoint every time', endpoints: [ep(1)], picks: 3, want: ['10.244.1.1:8080', '10.244.1.1:8080', '10.244.1.1:8080'] },
    { name: 'three endpoints in turn', endpoints: [ep(1), ep(2), ep(3)], picks: 4, want: ['10.244.1.1:8080', '10.244.1.2:8080', '10.244.1.3:8080', '10.244.1.1:8080'] },
  ])('$name', ({ endpoints, picks, want }) => {
    const b = new Balancer();
    b.setEndpoints(endpoints);
    expect(keys(Array.from({ length: picks }, () => b.pick('1.1.1.1')))).toEqual(want);
  });

  it.each([
    { name: 'exclude skips the failed endpoint', endpoints: [ep(1), ep(2)], exclude: '10.244.1.1:8080', want: '10.244.1.2:8080' },
    { name: 'exclude of the only endpoint gives nothing', endpoints: [ep(1)], exclude: '10.244.1.1:8080', want: '-' },
  ])('$name', ({ endpoints, exclude, want }) => {
    const b = new Balancer();
    b.setEndpoints(endpoints);
    expect(keys([b.pick('c', exclude)])).toEqual([want]);
  });

  it('a removed endpoint gets no new picks', () => {
    const b = new Balancer();
    b.setEndpoints([ep(1), ep(2), ep(3)]);
    b.pick('c');
    b.setEndpoints([ep(1), ep(3)]);
    const got = new Set(keys(Array.from({ length: 6 }, () => b.pick('c'))));
    expect([...got].sort()).toEqual(['10.244.1.1:8080', '10.244.1.3:8080']);
  });
});

describe('Balancer ClientIP affinity', () => {
  const setup = () => {
    let now = 1_000;
    const b = new Balancer(10_000, () => now);
    b.setEndpoints([ep(1), ep(2), ep(3)]);
    return { b, advance: (ms: number) => (now += ms) };
  };

  it.each([
    { name: 'same client keeps its endpoint', clients: ['a', 'a', 'a'], advanceMs: 0, want: ['10.244.1.1:8080', '10.244.1.1:8080', '10.244.1.1:8080'] },
    { name: 'different clients spread', clients: ['a', 'b', 'c'], advanceMs: 0, want: ['10.244.1.1:8080', '10.244.1.2:8080', '10.244.1.3:8080'] },
    { name: 'use inside the timeout renews it', clients: ['a', 'a', 'a'], advanceMs: 9_000, want: ['10.244.1.1:8080', '10.244.1.1:8080', '10.244.1.1:8080'] },
    { name: 'past the timeout the client moves on', clients: ['a', 'a'], advanceMs: 11_000, want: ['10.244.1.1:8080', '10.244.1.2:8080'] },
  ])('$name', ({ clients, advanceMs, want }) => {
    const { b, advance } = setup();
    const got = clients.map((c) => {
      const e = b.pick(c);
      advance(advanceMs);
      return e;
    });
    expect(keys(got)).toEqual(want);
  });

  it('an entry for a removed endpoint is dropped', () => {
    const { b } = setup();
    expect(keys([b.pick('a')])).toEqual(['10.244.1.1:8080']);
    b.setEndpoints([ep(2), ep(3)]);
    expect(b.affinityCount()).toBe(0);
    const next = b.pick('a');
    expect(keys([next, b.pick('a')])).toEqual([keys([next])[0], keys([next])[0]]);
  });

  it('expireAffinity forgets old entries; turning affinity off clears them', () => {
    const { b, advance } = setup();
    b.pick('a');
    b.pick('b');
    advance(10_001);
    b.pick('c');
    b.expireAffinity();
    expect(b.affinityCount()).toBe(1);
    b.setAffinity(0);
    expect(b.affinityCount()).toBe(0);
  });
});
