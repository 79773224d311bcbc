// The response-shape rules of the Starship API, one per operation, generated from the spec (the instant scenario shows
// both operations when run alone).
import { shapeRules } from '../../src/shape-rules.ts';
import { scenario } from './lib.ts';
import { rule } from './meta.ts';

for (const definition of shapeRules(
  'starship-rewards',
  { createOrder: (t) => scenario(t, 'instant'), getOrder: (t) => scenario(t, 'instant') },
  { createOrder: { path: 'status_changed_at' }, getOrder: { path: 'status_changed_at' } },
  'SHIP-',
))
  rule(definition);
