// The shape of a registry entry: what a conformance rule is, independent of the code that checks it.
import type { ApiName } from '../../scripts/lib/contract.ts';

export type Level = 'MUST' | 'SHOULD' | 'MAY';

/** Operator actions a profile may offer; a rule needing an absent one is "not verified". */
export type HookName = 'mapRegion' | 'advanceParcel' | 'expireTokens';

/** Optional profile parts a rule may need; absent, the rule is "not verified". */
export type OptionalFixture = 'otherWarehouse';

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
