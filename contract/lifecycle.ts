// The Starship Rewards order lifecycle model (openapi/starship-rewards/lifecycle.yaml, built and checked against its
// schema into generated/starship-rewards/lifecycle.json) and its generated types, which name statuses, sub-statuses,
// item statuses and webhooks with the spec's own types. Data and types only: no code reads it here.

import type { LifecycleModel } from '../generated/starship-rewards/lifecycle.js';
import model from '../generated/starship-rewards/lifecycle.json' with { type: 'json' };

export type * from '../generated/starship-rewards/lifecycle.js';

/** The lifecycle model as built (the build validated it against its schema). */
export const lifecycle = model as unknown as LifecycleModel;
