// A rule is one unit: its metadata (id, level, api, operations, tags, title, source), its check and its faults,
// registered together by `defineRule`.
import type { AssertionClass, RuleMeta } from '../registry/types.ts';
import type { DesignedPart, RuleContext } from './context.ts';
import type { Fault } from './fault-kit.ts';

export type Check = (t: RuleContext) => Promise<void>;

/** A designed part a rule or an assertion rests on: why, where in the spec, and the decision that records it. */
export const designedPart = (designed: string, specLocation: string, decision?: string): DesignedPart =>
  decision ? { designed, specLocation, decision } : { designed, specLocation };

/** A bug only a sharper check of the rule catches: the rule must fail it at MUST level in `class`. */
export interface SharperFault {
  bug: string;
  class: AssertionClass;
  fault: Fault;
}

export interface RuleDefinition extends RuleMeta {
  /**
   * A plausible server bug, injected by the self-test's proxy, that must make the rule fail: proof the check can fail.
   */
  fault: Fault;
  /** Bugs the rule's sharper checks catch, each in its class. */
  moreFaults?: SharperFault[];
  check: Check;
}

const definitions: RuleDefinition[] = [];
const ids = new Set<string>();
const duplicates: string[] = [];

export function defineRule(definition: RuleDefinition): void {
  if (ids.has(definition.id)) duplicates.push(definition.id);
  ids.add(definition.id);
  definitions.push(definition);
}

/** Every rule registered by the rule files imported so far, in the order they were defined. */
export const definedRules = (): readonly RuleDefinition[] => definitions;

/** Ids defined twice (a copy-paste slip that would silently shadow a rule). */
export const duplicateRules = (): readonly string[] => duplicates;

/** Thrown when a rule needs a hook or fixture the profile lacks: reported "not verified", never passed. */
export class NotVerified extends Error {}

/**
 * Thrown when a rule cannot reach its subject because a precondition failed (no token, no order could be created, the
 * feed cannot be read): the rule is reported "blocked by" the rule whose subject that precondition is, when that rule
 * fails in the same run; otherwise the failure is this rule's own.
 */
export class Blocked extends Error {
  constructor(
    readonly by: string,
    message: string,
    readonly exchange?: import('./http.ts').Exchange,
  ) {
    super(message);
  }
}
