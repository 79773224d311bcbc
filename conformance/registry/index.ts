// The one registry of conformance rules, all APIs together; add another API's list to `rules`.
import { starmilePartnerRules } from './starmile-partner.ts';
import { starshipRewardsRules } from './starship-rewards.ts';
import type { RuleMeta } from './types.ts';

export type { HookName, Level, OptionalFixture, RuleMeta, RuleSource } from './types.ts';

export const rules: readonly RuleMeta[] = [...starmilePartnerRules, ...starshipRewardsRules];

export const ruleById: ReadonlyMap<string, RuleMeta> = new Map(rules.map((r) => [r.id, r]));
