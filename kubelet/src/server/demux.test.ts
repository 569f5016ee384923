import { describe, it, expect } from 'vitest';
import { DockerDemuxer, dockerFrame, type DockerFrame } from './demux.js';

async function demux(chunks: Buffer[]): Promise<Array<[number, string]>> {
  const d = new DockerDemuxer();
  const out: Array<[number, string]> = [];
  d.on('data', (f: DockerFrame) => out.push([f.stream, f.data.toString()]));
  const ended = new Promise<void>((resolve, reject) => {
    d.on('end', resolve);
    d.on('error', reject);
  });
  for (const c of chunks) d.write(c);
  d.end();
  await ended;
  return out;
}

const both = Buffer.concat([dockerFrame(1, 'out\n'), dockerFrame(2, 'err\n'), dockerFrame(1, 'more')]);

describe('DockerDemuxer', () => {
  it.each<[string, Buffer[], Array<[number, string]>]>([
    ['one chunk, three frames', [both], [[1, 'out\n'], [2, 'err\n'], [1, 'more']]],
    ['split inside a header', [both.subarray(0, 3), both.subarray(3)], [[1, 'out\n'], [2, 'err\n'], [1, 'more']]],
    ['split inside a payload', [both.subarray(0, 10), both.subarray(10, 15), both.subarray(15)], [[1, 'out\n'], [2, 'err\n'], [1, 'more']]],
    ['byte by byte', [...both].map((b) => Buffer.from([b])), [[1, 'out\n'], [2, 'err\n'], [1, 'more']]],
    ['empty payload skipped', [dockerFrame(1, ''), dockerFrame(2, 'x')], [[2, 'x']]],
    ['nothing', [], []],
  ])('%s', async (_name, chunks, want) => {
    expect(await demux(chunks)).toEqual(want);
  });

  it('rejects a non-multiplexed stream', async () => {
    await expect(demux([Buffer.from('hello world, no header')])).rejects.toThrow(/invalid Docker stream header/);
  });
});
