import { describe, it, expect } from 'vitest';
import { printTable, cellText, formatLabels, type Table } from './table.js';
import { alignTabs, DESCRIBE_TABS } from './tabwriter.js';

const podTable: Table = {
  kind: 'Table',
  columnDefinitions: [
    { name: 'Name', type: 'string', priority: 0 },
    { name: 'Ready', type: 'string', priority: 0 },
    { name: 'Status', type: 'string', priority: 0 },
    { name: 'Age', type: 'string', priority: 0 },
    { name: 'IP', type: 'string', priority: 1 },
  ],
  rows: [
    { cells: ['web-1', '1/1', 'Running', '5m', '10.0.0.1'], object: { metadata: { name: 'web-1', namespace: 'default', labels: { b: '2', a: '1' } } } },
    { cells: ['db', '0/1', 'Pending', '10s', null], object: { metadata: { name: 'db', namespace: 'prod' } } },
  ],
};

describe('printTable', () => {
  it.each([
    {
      name: 'default hides priority>0 columns',
      opts: {},
      want: ['NAME    READY   STATUS    AGE', 'web-1   1/1     Running   5m', 'db      0/1     Pending   10s'],
    },
    {
      name: 'wide shows them',
      opts: { wide: true },
      want: ['NAME    READY   STATUS    AGE   IP', 'web-1   1/1     Running   5m    10.0.0.1', 'db      0/1     Pending   10s   <none>'],
    },
    {
      name: 'namespace column first',
      opts: { withNamespace: true },
      want: ['NAMESPACE   NAME    READY   STATUS    AGE', 'default     web-1   1/1     Running   5m', 'prod        db      0/1     Pending   10s'],
    },
    {
      name: 'labels last, sorted',
      opts: { showLabels: true },
      want: ['NAME    READY   STATUS    AGE   LABELS', 'web-1   1/1     Running   5m    a=1,b=2', 'db      0/1     Pending   10s   <none>'],
    },
    {
      name: 'label columns',
      opts: { labelColumns: ['a', 'example.com/tier'] },
      want: ['NAME    READY   STATUS    AGE   A     TIER', 'web-1   1/1     Running   5m    1     ', 'db      0/1     Pending   10s         '],
    },
    {
      name: 'kind prefix and no headers',
      opts: { namePrefix: 'pod/', noHeaders: true },
      want: ['pod/web-1   1/1   Running   5m', 'pod/db      0/1   Pending   10s'],
    },
  ])('$name', ({ opts, want }) => {
    expect(printTable(podTable, opts)).toBe(want.join('\n') + '\n');
  });
});

describe('cellText and formatLabels', () => {
  it.each([
    { v: 'x', want: 'x' },
    { v: 3, want: '3' },
    { v: null, want: '<none>' },
    { v: ['a', 'b'], want: 'a,b' },
  ])('cell $v', ({ v, want }) => expect(cellText(v)).toBe(want));
  it.each([
    { labels: undefined, want: '<none>' },
    { labels: { z: '1', app: 'web' }, want: 'app=web,z=1' },
  ])('labels $want', ({ labels, want }) => expect(formatLabels(labels)).toBe(want));
});

describe('alignTabs (describe style)', () => {
  it.each([
    { name: 'aligns a block', text: 'Name:\tx\nNamespace:\tdefault\n', want: 'Name:       x\nNamespace:  default\n' },
    {
      name: 'a line without tabs ends the block',
      text: 'Name:\tx\nContainers:\n  c:\n    Image:\tbusybox\n    Container ID:\tabc\n',
      want: 'Name:  x\nContainers:\n  c:\n    Image:         busybox\n    Container ID:  abc\n',
    },
    { name: 'nested columns', text: 'a\tbb\tc\naaa\tb\tc\n', want: 'a    bb  c\naaa  b   c\n' },
  ])('$name', ({ text, want }) => expect(alignTabs(text, DESCRIBE_TABS)).toBe(want));
});
