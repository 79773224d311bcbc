// What a conformance rule is (its metadata), independent of the code that checks it.
import type { ApiName } from '../../contract/index.ts';

export type Level = 'MUST' | 'SHOULD' | 'MAY';

/** documented: what the published documents state; contract: the whole spec, designed parts included. */
export type AssertionClass = 'documented' | 'contract';

/** Operator actions a profile may offer; a rule needing an absent one is "not verified". */
export type HookName =
  | 'mapRegion'
  | 'advanceParcel'
  | 'expireTokens'
  /**
   * Starship: the admin escalates a PENDING · VENDOR_ORDER_PENDING order; the vendor answers {outcome}: vouchers |
   * failure.
   */
  | 'starshipEscalate'
  /** Starship: the remaining units of a PARTIALLY_DELIVERED order end {outcome}: fulfilled | refunded. */
  | 'starshipSettle'
  /** Starship: an admin cancels a DELIVERED order; the wallet refund {refund}: succeeds | fails. */
  | 'starshipLateCancel'
  /** Starship: the webhooks fired for {order_id}, oldest first. */
  | 'starshipWebhooks';

/** Optional profile parts a rule may need; absent, the rule is "not verified". */
export type OptionalFixture = 'otherWarehouse' | 'starship';

/** A rule comes from a seed document's exact sentence, or was designed where the documents are silent. */
export type RuleSource =
  | { seed: string; quote: string; decision?: string }
  | { designed: string; specLocation: string; decision?: string };

export interface RuleMeta {
  /** Stable id: never renamed, never reused; baselines and reports key on it. */
  id: string;
  level: Level;
  api: ApiName;
  /** The operationIds the rule is about (the first is the main one). */
  operations: string[];
  tags: string[];
  /** What an implementation must do, in one sentence. */
  title: string;
  source: RuleSource;
  hooks?: HookName[];
  fixtures?: OptionalFixture[];
  /** Runs alone after every other rule (it disturbs shared state such as tokens). */
  serial?: boolean;
}
