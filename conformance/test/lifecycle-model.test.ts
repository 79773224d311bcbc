// The suite's own reading of the lifecycle model agrees with the client helpers it judges on every move between
// observable states (so a bug in either shows). That the model and its JSON Schema hold each other is the build's check
// (scripts/test/starship-model.test.ts).
import { expect, test } from 'vitest';
import * as client from '../../client/src/starship.ts';
import { announces, isAllowedMove, isAllowedPair, lifecycleModel } from '../rules/starship-rewards/model.ts';

const model = lifecycleModel();

const UNKNOWN = 'CONFORMANCE_UNLISTED_SUB_STATUS';
/** Every documented pair, every status with a sub-status no model lists, and a few pairs the model forbids. */
const states = [
  ...model.sub_statuses.flatMap((s) => model.statuses.map((p) => ({ status: p.name, sub_status: s.name }))),
  ...model.statuses.map((p) => ({ status: p.name, sub_status: UNKNOWN })),
];
const key = (s: { status: string; sub_status: string }) => `${s.status} · ${s.sub_status}`;

test('the same pairs are allowed', () => {
  const differ = states.filter(
    (s) => isAllowedPair(s.status, s.sub_status) !== client.isAllowedPair(s.status as client.OrderStatus, s.sub_status),
  );
  expect(differ.map(key)).toEqual([]);
});

test('the same moves are allowed, between every two states', () => {
  const differ: string[] = [];
  for (const from of states)
    for (const to of states) {
      const mine = isAllowedMove(from, to);
      const theirs = client.isAllowedTransition(from as client.OrderState, to as client.OrderState);
      if (mine !== theirs) differ.push(`${key(from)} -> ${key(to)}: suite ${mine}, client ${theirs}`);
    }
  expect(differ).toEqual([]);
  // Not vacuous: both allow some moves and forbid others.
  const allowed = states.flatMap((a) => states.filter((b) => isAllowedMove(a, b))).length;
  expect(allowed).toBeGreaterThan(states.length);
  expect(allowed).toBeLessThan(states.length ** 2 / 2);
});

test('a webhook announces a state exactly when the transition the client matches into it fires that webhook', () => {
  for (const t of model.transitions.filter((x) => x.webhook)) {
    for (const sub of t.to.sub_statuses ?? [UNKNOWN])
      expect(
        announces(t.webhook!, { status: t.to.status, sub_status: sub }),
        `${t.id} -> ${t.to.status} · ${sub}`,
      ).toBe(true);
  }
  expect(announces('order.delivered', { status: 'CANCELLED', sub_status: 'REFUNDED' })).toBe(false);
});
