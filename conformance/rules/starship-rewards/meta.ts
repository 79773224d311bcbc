// What a Starship rule cites (the lifecycle document, pointers into the bundled spec) and `rule`, which files a rule
// under the Starship Rewards API.

import type { RuleSource } from '../../registry/types.ts';
import { defineRule, type RuleDefinition } from '../../src/define.ts';

const S004 = '004_c8fd4a720b09a178.txt';

export const seed = (quote: string, decision?: string): RuleSource =>
  decision ? { seed: S004, quote, decision } : { seed: S004, quote };
export const designed = (why: string, specLocation: string, decision?: string): RuleSource =>
  decision ? { designed: why, specLocation, decision } : { designed: why, specLocation };

export const READS = ['createOrder', 'getOrder'];
export const WEBHOOKS = ['notifyOrderPending', 'notifyOrderDelivered', 'notifyOrderCancelled'];

/**
 * Registers a rule of the Starship Rewards API; every one needs the profile's `starship` section (without it, a
 * Starmile-only server, each is "not verified").
 */
export const rule = (definition: Omit<RuleDefinition, 'api' | 'fixtures'>): void =>
  defineRule({ ...definition, api: 'starship-rewards', fixtures: ['starship'] });
