// The sandbox implements exactly the operations of the three specs (Starship under its server's prefix), and its
// request validation comes from them.
import { expect, test } from 'vitest';
import { loadSpec } from '../../contract/index.ts';
import { routes } from '../src/routes.ts';
import { STARSHIP_PREFIX } from '../src/starship/prefix.ts';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const specOperations = (['starmile-partner', 'sandbox-admin', 'starship-rewards'] as const).flatMap((api) =>
  Object.entries(loadSpec(api).paths as Record<string, Record<string, { operationId: string }>>).flatMap(
    ([path, item]) =>
      Object.entries(item)
        .filter(([m]) => METHODS.includes(m))
        .map(
          ([m, op]) =>
            `${m.toUpperCase()} ${api === 'starship-rewards' ? STARSHIP_PREFIX : ''}${path} ${op.operationId}`,
        ),
  ),
);

test('every operation of the Partner API, the sandbox-admin API and the Starship API has a route, and no route is outside them', () => {
  expect(routes.map((r) => `${r.method} ${r.template} ${r.operationId}`).sort()).toEqual(specOperations.sort());
});

test('admin routes live under the sandbox-only prefix; partner routes never do', () => {
  const adminIds = new Set(
    Object.values(loadSpec('sandbox-admin').paths as Record<string, Record<string, { operationId?: string }>>).flatMap(
      (i) => Object.values(i).map((o) => o.operationId),
    ),
  );
  for (const r of routes) expect(r.template.startsWith('/_sandbox/')).toBe(adminIds.has(r.operationId));
});
