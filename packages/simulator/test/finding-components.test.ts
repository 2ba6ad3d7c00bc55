import { describe, expect, it } from 'vitest';
import { familyOfComponent, FINDING_COMPONENT_NAMES } from '@liftwatch/contract';
import { COMPONENTS, FAMILY_OF_COMPONENT } from '../src/index.js';

// Crews name the components the simulator models, in the same families, so findings and the
// simulator's ground truth label the same things.
describe('components a crew can name in a finding', () => {
  it('are the simulator\'s components first, each in the simulator\'s family', () => {
    expect(FINDING_COMPONENT_NAMES.slice(0, COMPONENTS.length)).toEqual([...COMPONENTS]);
    for (const c of COMPONENTS) expect(familyOfComponent(c)).toBe(FAMILY_OF_COMPONENT[c] ?? null);
  });
});
