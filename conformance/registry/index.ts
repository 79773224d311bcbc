// The one registry of conformance rules, all APIs together: every rule file registers its rules (metadata and check in
// one place) when rules/index.ts imports it.
import '../rules/index.ts';
import { definedRules, type RuleDefinition } from '../src/define.ts';

export type { AssertionClass, HookName, Level, OptionalFixture, RuleMeta, RuleSource } from './types.ts';

export const rules: readonly RuleDefinition[] = definedRules();

export const ruleById: ReadonlyMap<string, RuleDefinition> = new Map(rules.map((r) => [r.id, r]));
