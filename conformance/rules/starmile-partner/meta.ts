// What a Starmile rule cites (the seed files, pointers into the bundled spec) and `rule`, which files a rule under the
// Starmile Partner API.

import { operationFacts } from '../../../contract/starmile-partner.ts';
import type { RuleSource } from '../../registry/types.ts';
import { defineRule, designedPart, type RuleDefinition } from '../../src/define.ts';

export const S000 = '000_70fc47ae60496e0d.txt';
export const S001 = '001_408ef8b03705e8b4.txt';
export const S002 = '002_86b1f789c20063f2.txt';
export const S003 = '003_968995f5b398fd43.txt';

export const seed = (file: string, quote: string, decision?: string): Extract<RuleSource, { seed: string }> =>
  decision ? { seed: file, quote, decision } : { seed: file, quote };
export const designed: (why: string, specLocation: string, decision?: string) => RuleSource = designedPart;

export const TOKEN = '/paths/~1oauth~1token/post';
export const ORDERS = '/paths/~1api~1v1~1orders/post';
export const ORDER = '/paths/~1api~1v1~1orders~1{order_id}/get';
export const PARCEL = '/paths/~1api~1v1~1orders~1{order_id}~1parcels~1{item_id}/patch';
export const CANCEL = '/paths/~1api~1v1~1orders~1{order_id}~1cancel/post';
export const CHANGES = '/paths/~1api~1v1~1partner~1changes/get';
export const EVENTS = '/paths/~1api~1v1~1partner~1events/post';
/** The operations that need a token: those whose `security` names a scope. */
export const PROTECTED = Object.entries(operationFacts)
  .filter(([, op]) => op.scopes.length)
  .map(([id]) => id);

/** Registers a rule of the Starmile Partner API. */
export const rule = (definition: Omit<RuleDefinition, 'api'>): void =>
  defineRule({ ...definition, api: 'starmile-partner' });
