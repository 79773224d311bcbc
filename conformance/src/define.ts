// How a rule's check is written: `rule(id, async (t) => …)`; the id must be in the registry, and each id has exactly one check.
import type { RuleContext } from './context.ts';

export type Check = (t: RuleContext) => Promise<void>;

const checks = new Map<string, Check>();
const duplicates: string[] = [];

export function rule(id: string, check: Check): void {
  if (checks.has(id)) duplicates.push(id);
  checks.set(id, check);
}

/** Every check registered by the rule files imported so far. */
export const registeredChecks = (): ReadonlyMap<string, Check> => checks;

/** Ids registered twice (a copy-paste slip that would silently drop a check). */
export const duplicateChecks = (): readonly string[] => duplicates;

/** Thrown when a rule needs a hook or fixture the profile lacks: reported "not verified", never passed. */
export class NotVerified extends Error {}
