// Starship webhooks as the profile's starshipWebhooks hook shows them: valid payloads, the model's walk between
// consecutive ones, and exactly the webhooks the model's transitions fire.
import { loadSpec, validatorAt } from '../../../contract/index.ts';
import type { WebhookName } from '../../../contract/starship-rewards.ts';
import type { RuleContext } from '../../src/context.ts';
import { shipWebhooks } from '../../src/fault-kit.ts';
import type { Exchange } from '../../src/http.ts';
import {
  announces,
  describeState,
  firedBy,
  noProblems,
  type Observed,
  type Scenario,
  scenarios,
  stateOf,
  walk,
} from './lib.ts';
import { designed, rule, seed, WEBHOOKS } from './meta.ts';

const WEBHOOK_NAMES = Object.keys(loadSpec('starship-rewards').webhooks) as WebhookName[];
const payloadSchema = (name: WebhookName) =>
  validatorAt('starship-rewards', 'webhooks', name, 'post', 'requestBody', 'content', 'application/json', 'schema');

/**
 * The scenarios with their webhooks (the rules calling this need the starshipWebhooks hook, so every scenario has
 * them).
 */
async function withWebhooks(t: RuleContext): Promise<(Scenario & { webhooks: Observed[] })[]> {
  t.needHook('starshipWebhooks');
  return (await scenarios(t)) as (Scenario & { webhooks: Observed[] })[];
}

const hasOrder = (w: Observed) => !!w.payload?.order && typeof w.payload.order.status === 'string';

rule({
  id: 'SHIP-WEBHOOK-PAYLOADS',
  level: 'MUST',
  operations: WEBHOOKS,
  tags: ['starship', 'webhooks'],
  title: "Every webhook fired for an order validates against the spec's schema of that webhook and carries that order.",
  source: designed("The payload of each webhook is the spec's webhooks entry.", '/webhooks'),
  hooks: ['starshipWebhooks'],
  fault: shipWebhooks((entries) => entries.map((e) => ({ ...e, payload: { ...e.payload, occurred_at: undefined } }))),
  check: async (t) => {
    const problems: { message: string; exchange: Exchange }[] = [];
    const ids = new Map<string, string>();
    for (const sc of await withWebhooks(t))
      for (const [i, w] of sc.webhooks.entries()) {
        const where = `${sc.name} webhook ${i + 1}`;
        const type = w.payload?.type as WebhookName;
        if (!WEBHOOK_NAMES.includes(type)) {
          problems.push({
            message: `${where}: type ${JSON.stringify(type)} is no webhook of the spec`,
            exchange: w.exchange,
          });
          continue;
        }
        const validate = payloadSchema(type);
        if (!validate(w.payload))
          for (const e of (validate.errors ?? []).slice(0, 5))
            problems.push({
              message: `${where} (${type}): ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`,
              exchange: w.exchange,
            });
        const seen = ids.get(w.payload.event_id);
        if (seen)
          problems.push({
            message: `${where}: event_id ${w.payload.event_id} was already used by ${seen}`,
            exchange: w.exchange,
          });
        ids.set(w.payload.event_id, where);
      }
    noProblems(problems, 'webhook payloads the spec does not allow');
  },
});

rule({
  id: 'SHIP-TRANSITIONS-WEBHOOKS',
  level: 'MUST',
  operations: WEBHOOKS,
  tags: ['starship', 'lifecycle', 'model', 'webhooks'],
  title:
    'Between two consecutive webhooks of an order, in the order they were fired, it moved along transitions of the lifecycle model.',
  source: seed('Every status and sub-status an order can move through, who triggers each transition'),
  hooks: ['starshipWebhooks'],
  fault: shipWebhooks((entries) => [...entries].reverse()),
  check: async (t) => {
    const problems: { message: string; exchange: Exchange }[] = [];
    for (const sc of await withWebhooks(t)) {
      const events = sc.webhooks.filter(hasOrder);
      events.slice(1).forEach((w, i) => {
        const before = events[i]!.payload.order;
        if (!walk(stateOf(before), stateOf(w.payload.order)))
          problems.push({
            message: `${sc.name}: ${events[i]!.payload.type} (${describeState(before)}) then ${w.payload.type} (${describeState(w.payload.order)}) is no walk of the model's transitions`,
            exchange: w.exchange,
          });
      });
    }
    noProblems(problems, 'moves between consecutive webhooks the model does not allow');
  },
});

rule({
  id: 'SHIP-WEBHOOK-FIRED',
  level: 'MUST',
  operations: WEBHOOKS,
  tags: ['starship', 'webhooks', 'lifecycle'],
  title:
    "An order's webhooks are exactly those the model's transitions along its path fire, in order, each arriving at a state the model says that webhook announces.",
  source: seed('Wallet debit · finalize DELIVERED · COMPLETED Webhook: order.delivered', 'S4'),
  hooks: ['starshipWebhooks'],
  fault: shipWebhooks((entries) => entries.filter((e) => e.type !== 'order.pending')),
  check: async (t) => {
    const problems: { message: string; exchange?: Exchange }[] = [];
    for (const sc of await withWebhooks(t)) {
      const expected = firedBy(sc.steps);
      const got = sc.webhooks.map((w) => String(w.payload?.type));
      const exchange = sc.webhooks[0]?.exchange;
      if (JSON.stringify(got) !== JSON.stringify(expected))
        problems.push({
          message: `${sc.name} (${sc.steps.map(describeState).join(' -> ')}): fired [${got.join(', ')}], the model's transitions fire [${expected.join(', ')}]`,
          ...(exchange ? { exchange } : {}),
        });
      // Each webhook announces the state its transition arrives at: the step that fires it, as the model draws it.
      const firing = sc.steps.filter((s) => s.webhook);
      sc.webhooks.filter(hasOrder).forEach((w, i) => {
        const state = stateOf(w.payload.order);
        if (!announces(String(w.payload.type), state))
          problems.push({
            message: `${sc.name} webhook ${i + 1}: no transition of the model fires ${w.payload.type} arriving at ${describeState(state)}`,
            exchange: w.exchange,
          });
        const step = firing[i];
        if (step && step.webhook === w.payload.type && step.status !== state.status)
          problems.push({
            message: `${sc.name} webhook ${i + 1}: ${w.payload.type} carries the order in ${state.status}, the transition that fires it arrives in ${step.status}`,
            exchange: w.exchange,
          });
      });
    }
    noProblems(problems, 'webhooks other than those the model fires');
  },
});
