import { describe, it, expect } from 'vitest';
import { dockerLogsOptions, parseLogRequest, type LogRequest } from './log-options.js';
import type { Query } from './query.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const NOW_S = NOW / 1000;

describe('parseLogRequest', () => {
  it.each<[string, Query, LogRequest | string]>([
    ['empty', {}, { follow: false, timestamps: false, previous: false }],
    ['flags', { follow: 'true', timestamps: '1', previous: 'T' }, { follow: true, timestamps: true, previous: true }],
    ['false flags', { follow: 'false', previous: '0' }, { follow: false, timestamps: false, previous: false }],
    ['tailLines', { tailLines: '5' }, { follow: false, timestamps: false, previous: false, tailLines: 5 }],
    ['tailLines zero', { tailLines: '0' }, { follow: false, timestamps: false, previous: false, tailLines: 0 }],
    ['sinceSeconds', { sinceSeconds: '60' }, { follow: false, timestamps: false, previous: false, since: NOW_S - 60 }],
    ['sinceTime', { sinceTime: '2025-12-31T23:00:00Z' }, { follow: false, timestamps: false, previous: false, since: NOW_S - 3600 }],
    ['limitBytes', { limitBytes: '10' }, { follow: false, timestamps: false, previous: false, limitBytes: 10 }],
    ['repeated key takes the first', { tailLines: ['2', '9'] }, { follow: false, timestamps: false, previous: false, tailLines: 2 }],
    ['bad boolean', { follow: 'yes' }, 'invalid value for follow: "yes" is not a boolean'],
    ['bad integer', { tailLines: 'x' }, 'invalid value for tailLines: "x" is not an integer'],
    ['negative tailLines', { tailLines: '-1' }, 'invalid value for tailLines: must be non-negative'],
    ['zero limitBytes', { limitBytes: '0' }, 'invalid value for limitBytes: must be greater than 0'],
    ['zero sinceSeconds', { sinceSeconds: '0' }, 'invalid value for sinceSeconds: must be greater than 0'],
    ['both since forms', { sinceSeconds: '5', sinceTime: '2025-12-31T23:00:00Z' }, 'at most one of sinceTime or sinceSeconds may be specified'],
    ['bad sinceTime', { sinceTime: 'yesterday' }, 'invalid value for sinceTime: "yesterday" is not an RFC3339 time'],
  ])('%s', (_name, q, want) => {
    expect(parseLogRequest(q, NOW)).toEqual(want);
  });
});

describe('dockerLogsOptions', () => {
  it.each<[string, LogRequest, ReturnType<typeof dockerLogsOptions>]>([
    ['plain', { follow: false, timestamps: false, previous: false }, { stdout: true, stderr: true, follow: false, timestamps: false }],
    [
      'all options',
      { follow: true, timestamps: true, previous: false, tailLines: 3, since: 100, limitBytes: 5 },
      { stdout: true, stderr: true, follow: true, timestamps: true, tail: 3, since: 100 },
    ],
  ])('%s', (_name, req, want) => {
    expect(dockerLogsOptions(req)).toEqual(want);
  });
});
