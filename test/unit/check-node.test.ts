import { describe, expect, it } from 'vitest';
import { checkNode, MINIMUM_NODE } from '../../bin/check-node.js';
import pkg from '../../package.json' with { type: 'json' };

describe('checkNode', () => {
  it('refuses older Node versions in one line naming both versions', () => {
    for (const old of ['20.20.2', '18.0.0', '22.0.0', '22.22.1', '22.21.9']) {
      const message = checkNode(old);
      expect(message).toContain(`Node.js ${old}`);
      expect(message).toContain(MINIMUM_NODE);
      expect(message).not.toContain('\n');
    }
  });

  it('accepts the minimum and anything newer', () => {
    for (const ok of [MINIMUM_NODE, '22.23.0', '23.0.0', '24.21.0', '26.1.0'])
      expect(checkNode(ok)).toBeNull();
  });

  it('agrees with engines in package.json', () => {
    expect(pkg.engines.node).toBe(`>=${MINIMUM_NODE}`);
  });
});
