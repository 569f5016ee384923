import { describe, expect, it } from 'vitest';
import { node, nodeInfo, pod } from '../testing/fixtures.js';
import { fitsNodeName, nodeName, REASON } from './node-name.js';

describe('NodeName', () => {
  it.each([
    { name: 'no nodeName fits any node', podNode: undefined, node: 'n1', fits: true },
    { name: 'nodeName equal to the node fits', podNode: 'n1', node: 'n1', fits: true },
    { name: 'nodeName of another node does not fit', podNode: 'n2', node: 'n1', fits: false },
  ])('$name', ({ podNode, node: nodeName_, fits }) => {
    const p = pod('p', { nodeName: podNode });
    expect(fitsNodeName(p, node(nodeName_))).toBe(fits);
    const status = nodeName().filter!(p, nodeInfo(node(nodeName_)));
    expect(status).toEqual(fits ? { code: 'Success', reasons: [] } : { code: 'UnschedulableAndUnresolvable', reasons: [REASON] });
  });
});
