// The lifecycle model (openapi/starship-rewards/lifecycle.yaml) agrees with its seed, with the spec, with itself, with
// the spec's examples and with its JSON Schema.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isAllowedPair, lifecycle, matchTransition, type Order, type Source } from '../../client/src/starship.ts';
import { loadSpec } from '../../contract/index.ts';
import { modelProblems } from '../lib/lifecycle-model.mjs';
import { checkQuote } from '../lib/seeds.mjs';

const spec = loadSpec('starship-rewards');
const schemas = spec.components.schemas;
const source = parse(readFileSync(new URL('../../openapi/starship-rewards/lifecycle.yaml', import.meta.url), 'utf8'));
const decisions = readFileSync(new URL('../../docs/decisions.md', import.meta.url), 'utf8');
const model = lifecycle;

const sourced: [string, { source: Source; decision?: string }][] = [
  ...model.webhooks.map((w) => [`webhook ${w.name}`, w] as [string, typeof w]),
  ...model.statuses.map((s) => [`status ${s.name}`, s] as [string, typeof s]),
  ...model.sub_statuses.map((s) => [`sub-status ${s.name}`, s] as [string, typeof s]),
  ['within_primary', model.within_primary],
  ...model.transitions.map((t) => [`transition ${t.id}`, t] as [string, typeof t]),
  ...model.paths.map((p) => [`path ${p.id}`, p] as [string, typeof p]),
];

describe('the built model is the source model', () => {
  it('generated/starship-rewards/lifecycle.json equals lifecycle.yaml', () => {
    expect(model).toEqual(source);
  });
});

describe('every entry says where it comes from', () => {
  it.each(sourced)('%s', (_name, entry) => {
    if ('quote' in entry.source) expect(checkQuote(model.seed, entry.source.quote)).toBeNull();
    else expect(entry.source.designed.length).toBeGreaterThanOrEqual(20);
    if (entry.decision) expect(decisions).toMatch(new RegExp(`^### ${entry.decision}\\. `, 'm'));
  });

  it('the quote check rejects a sentence that is not in the seed', () => {
    expect(checkQuote(model.seed, 'PENDING orders are stuck after 12 hours.')).not.toBeNull();
  });
});

describe('the model and the spec name the same values', () => {
  it.each([
    ['primary statuses == OrderStatus enum', model.statuses.map((s) => s.name), schemas.OrderStatus.enum],
    ['sub-statuses == KnownSubStatus enum', model.sub_statuses.map((s) => s.name), schemas.KnownSubStatus.enum],
    ['webhooks == the spec webhooks', model.webhooks.map((w) => w.name), Object.keys(spec.webhooks)],
  ])('%s', (_name, have, want) => {
    expect(have).toEqual(want);
  });

  it('the six documented statuses and eighteen documented sub-statuses', () => {
    expect(model.statuses).toHaveLength(6);
    expect(model.sub_statuses).toHaveLength(18);
  });

  it.each(model.statuses.map((s) => [s.name, s.items] as const))(
    '%s: item statuses are ItemStatus values',
    (_name, items) => {
      for (const s of [...items.allowed, ...items.required]) expect(schemas.ItemStatus.enum).toContain(s);
      for (const s of items.required) expect(items.allowed).toContain(s);
    },
  );
});

const statusNames = model.statuses.map((s) => s.name);
describe('sub-statuses: their primaries are statuses, the documented ones among them', () => {
  it.each(model.sub_statuses.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    expect(s.primaries.length).toBeGreaterThan(0);
    for (const p of s.primaries) expect(statusNames).toContain(p);
    for (const p of s.typical_primaries) expect(s.primaries).toContain(p);
    if (s.primaries.length !== s.typical_primaries.length)
      expect(s.decision, 'an allowed primary beyond the documented ones needs a decision').toBeDefined();
  });

  it.each(statusNames)('%s has at least one documented sub-status', (status) => {
    expect(model.sub_statuses.some((s) => s.primaries.includes(status))).toBe(true);
  });
});

const triggers = Object.keys(model.triggers);
const payloadStatus = (webhook: string) => {
  const name = spec.webhooks[webhook].post.requestBody.content['application/json'].schema.$ref.split('/').pop();
  return schemas[name].properties.order.allOf[1].properties.status.const as string;
};

describe('transitions use known values and fire webhooks that announce their target', () => {
  it.each(model.transitions.map((t) => [t.id, t] as const))('%s', (_id, t) => {
    for (const end of [t.from, t.to]) {
      expect(statusNames).toContain(end.status);
      for (const sub of end.sub_statuses ?? [])
        expect(isAllowedPair(end.status, sub), `${end.status} · ${sub}`).toBe(true);
    }
    expect(t.by.length).toBeGreaterThan(0);
    for (const by of t.by) expect(triggers).toContain(by);
    if (t.webhook !== null) expect(payloadStatus(t.webhook)).toBe(t.to.status);
    else if (t.from.status !== t.to.status)
      expect(['CANCELLED', 'DELIVERED'], 'entering CANCELLED or DELIVERED always fires its webhook').not.toContain(
        t.to.status,
      );
    for (const p of t.paths) expect(model.paths.map((x) => x.id)).toContain(p);
  });

  it.each(model.statuses.map((s) => [s.name, s] as const))(
    '%s: exits match its terminal flag, triggers and convergence',
    (_name, s) => {
      const exits = model.transitions.filter((t) => t.from.status === s.name && t.to.status !== s.name);
      const exitTriggers = new Set(exits.flatMap((t) => t.by));
      for (const trigger of s.triggers_out) expect(exitTriggers, trigger).toContain(trigger);
      for (const target of s.converges_to) expect(exits.map((t) => t.to.status)).toContain(target);
      if (s.refundable) expect(exits.map((t) => t.to.status)).toContain('CANCELLED');
      if (s.terminal && !s.refundable && s.converges_to.length === 0) expect(exits).toEqual([]);
      if (!s.terminal) expect(exits.length).toBeGreaterThan(0);
    },
  );
});

const walks = model.paths.flatMap((p) => p.outcomes.map((o) => [`path ${p.id}: ${o.name}`, p.id, o.steps] as const));
describe('the common paths are walks along allowed transitions', () => {
  it.each(walks)('%s', (_name, pathId, steps) => {
    expect(steps.length).toBeGreaterThan(1);
    for (let i = 1; i < steps.length; i++) {
      const [from, to] = [steps[i - 1]!, steps[i]!];
      const t = matchTransition(from, to);
      expect(t, `${from.status} · ${from.sub_status} -> ${to.status} · ${to.sub_status}`).toBeDefined();
      expect(t!.webhook, `webhook on arriving at ${to.status} · ${to.sub_status}`).toBe(to.webhook ?? null);
      if (t!.id !== 'within-primary') expect((t as { paths: string[] }).paths, t!.id).toContain(pathId);
    }
  });

  it.each(model.transitions.flatMap((t) => t.paths.map((p) => [t.id, p] as const)))(
    '%s is walked by path %s',
    (id, pathId) => {
      const path = model.paths.find((p) => p.id === pathId)!;
      const used = path.outcomes.some((o) =>
        o.steps.some((s, i) => i > 0 && matchTransition(o.steps[i - 1]!, s)?.id === id),
      );
      expect(used).toBe(true);
    },
  );

  it('path 1 ends DELIVERED, as the create response says', () => {
    expect(model.paths.find((p) => p.id === '1')!.outcomes[0]!.steps.at(-1)).toMatchObject({
      status: 'DELIVERED',
      webhook: 'order.delivered',
    });
  });
});

/** Every order the spec shows, in a response or inside a webhook payload. */
const orderExamples: [string, Order][] = Object.entries(
  spec.components.examples as Record<string, { value: Record<string, unknown> }>,
).flatMap(([name, ex]): [string, Order][] =>
  'items' in ex.value
    ? [[name, ex.value as unknown as Order]]
    : 'order' in ex.value
      ? [[name, ex.value.order as Order]]
      : [],
);

describe("the spec's examples obey the model", () => {
  it('finds the examples', () => {
    expect(orderExamples.length).toBeGreaterThanOrEqual(9);
  });

  it.each(orderExamples)('%s', (_name, order) => {
    expect(isAllowedPair(order.status, order.sub_status)).toBe(true);
    const { items } = model.statuses.find((s) => s.name === order.status)!;
    for (const item of order.items) {
      expect(items.allowed).toContain(item.status);
      expect(item.voucher !== null, `${item.id}: a voucher exactly when DELIVERED`).toBe(item.status === 'DELIVERED');
    }
    for (const required of items.required) expect(order.items.map((i) => i.status)).toContain(required);
  });
});

describe('the model and its JSON Schema', () => {
  const schema = JSON.parse(
    readFileSync(new URL('../../openapi/starship-rewards/lifecycle.schema.json', import.meta.url), 'utf8'),
  );

  it('lifecycle.yaml is valid', () => expect(modelProblems(source, schema)).toEqual([]));

  it.each([
    ['an unknown trigger', (m: any) => (m.transitions[0].by = ['robot']), '/transitions/0/by/0'],
    [
      'a transition without its webhook field',
      (m: any) => delete m.transitions[0].webhook,
      "must have required property 'webhook'",
    ],
    ['a field the schema does not know', (m: any) => (m.statuses[0].colour = 'red'), '(colour)'],
    ['a source with neither quote nor designed', (m: any) => (m.paths[0].source = { note: 'x' }), '/paths/0/source'],
  ])('refuses %s, naming where', (_what, breakIt, want) => {
    const broken = structuredClone(source);
    breakIt(broken);
    expect(modelProblems(broken, schema).join('\n')).toContain(want);
  });
});
