// The suite's own reading of the Starship lifecycle model (generated/starship-rewards/lifecycle.json, checked against
// its JSON Schema): allowed pairs, moves, walks, webhooks and units. It shares no code with the client helpers or the
// sandbox it judges, so a bug there cannot pass unseen.
import { compileSchema, generatedJson } from '../../../contract/index.ts';
import type { LifecycleModel, PathStep, StatusInfo, Transition, TransitionEnd } from '../../../contract/lifecycle.ts';

export type { PathStep, Transition };

/** An observed state: a primary status and a sub-status, documented or not. */
export interface State {
  status: string;
  sub_status: string;
}

const generated = (file: string): unknown => generatedJson('starship-rewards', file);

function load(): LifecycleModel {
  const validate = compileSchema(generated('lifecycle.schema.json') as object);
  const isModel = (value: unknown): value is LifecycleModel => validate(value);
  const value = generated('lifecycle.json');
  if (!isModel(value))
    throw new Error(
      `generated/starship-rewards/lifecycle.json does not match its schema: ${JSON.stringify(validate.errors?.slice(0, 3))}`,
    );
  return value;
}

let loaded:
  | {
      model: LifecycleModel;
      statuses: Map<string, StatusInfo>;
      subStatuses: Map<string, LifecycleModel['sub_statuses'][number]>;
    }
  | undefined;
/** The model and its indexes, read and checked on first use (a run without Starship rules never pays for it). */
function the() {
  if (!loaded) {
    const model = load();
    loaded = {
      model,
      statuses: new Map(model.statuses.map((s) => [s.name, s])),
      subStatuses: new Map(model.sub_statuses.map((s) => [s.name, s])),
    };
  }
  return loaded;
}

/** The lifecycle model, as built from openapi/starship-rewards/lifecycle.yaml. */
export const lifecycleModel = (): LifecycleModel => the().model;

export const isKnownSubStatus = (subStatus: string): boolean => the().subStatuses.has(subStatus);
export const statusOf = (name: string): StatusInfo | undefined => the().statuses.get(name);

/** Whether a list of the model (typed with the spec's names) holds an observed value, which may be any string. */
const lists = (values: readonly string[], value: string) => values.includes(value);

/**
 * A documented sub-status with one of the primaries the model gives it; an undocumented one (informational) with any
 * status.
 */
export function isAllowedPair(status: string, subStatus: string): boolean {
  if (!the().statuses.has(status)) return false;
  const known = the().subStatuses.get(subStatus);
  return !known || lists(known.primaries, status);
}

/**
 * One end of a transition admits a sub-status when it lists none, lists it, or the model does not know it (it is
 * informational).
 */
const admits = (end: TransitionEnd, subStatus: string) =>
  !end.sub_statuses || lists(end.sub_statuses, subStatus) || !the().subStatuses.has(subStatus);

/** The transitions of the model that describe one move (several may). */
export const transitionsFor = (from: State, to: State): Transition[] =>
  the().model.transitions.filter(
    (t) =>
      t.from.status === from.status &&
      t.to.status === to.status &&
      admits(t.from, from.sub_status) &&
      admits(t.to, to.sub_status),
  );

/**
 * Whether one move is allowed: both pairs allowed, and a transition describes it or it stays inside one primary status.
 */
export const isAllowedMove = (from: State, to: State): boolean =>
  isAllowedPair(from.status, from.sub_status) &&
  isAllowedPair(to.status, to.sub_status) &&
  (from.status === to.status || transitionsFor(from, to).length > 0);

const key = (s: State) => `${s.status} · ${s.sub_status}`;
const documentedPairs = (): State[] =>
  the().model.sub_statuses.flatMap((s) => s.primaries.map((status) => ({ status, sub_status: s.name })));
const walks = new Map<string, number | null>();

/**
 * How many allowed moves lead from one observed state to the next (0: nothing moved), or undefined when no walk exists.
 * Reads and webhooks may miss the states in between, so a walk may take several moves (breadth-first over the documented pairs).
 */
export function walkLength(from: State, to: State): number | undefined {
  const id = `${key(from)} -> ${key(to)}`;
  if (!walks.has(id)) {
    let found: number | null = key(from) === key(to) ? 0 : null;
    if (found === null && isAllowedPair(from.status, from.sub_status)) {
      const nodes = [...documentedPairs(), to];
      const seen = new Set([key(from)]);
      for (let frontier = [from], depth = 1; frontier.length && found === null; depth++) {
        const next: State[] = [];
        for (const state of frontier)
          for (const node of nodes)
            if (!seen.has(key(node)) && isAllowedMove(state, node)) {
              if (key(node) === key(to)) found = depth;
              seen.add(key(node));
              next.push(node);
            }
        frontier = next;
      }
    }
    walks.set(id, found);
  }
  return walks.get(id) ?? undefined;
}

/** Whether some transition firing `webhook` arrives at `state`. */
export const announces = (webhook: string, state: State): boolean =>
  the().model.transitions.some(
    (t) => t.webhook === webhook && t.to.status === state.status && admits(t.to, state.sub_status),
  );

/** The steps of the outcome of a path that ends in `status · subStatus`. */
export function outcomeSteps(pathId: string, status: string, subStatus: string): PathStep[] {
  const steps = the()
    .model.paths.find((p) => p.id === pathId)
    ?.outcomes.find((o) => o.steps.at(-1)?.status === status && o.steps.at(-1)?.sub_status === subStatus)?.steps;
  if (!steps) throw new Error(`the lifecycle model has no path ${pathId} ending in ${status} · ${subStatus}`);
  return steps;
}

/** A transition of the model by its id. */
export function transition(id: string): Transition {
  const t = the().model.transitions.find((x) => x.id === id);
  if (!t) throw new Error(`the lifecycle model has no transition ${id}`);
  return t;
}
