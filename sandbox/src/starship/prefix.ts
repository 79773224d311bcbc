// Where the sandbox mounts the Starship Rewards API: the path of the Starship spec's default server URL.
import { loadSpec } from '../../../contract/index.ts';

/** `/starship/v1`, read from the spec so the sandbox and the documented default server cannot drift apart. */
export const STARSHIP_PREFIX: string = new URL(
  loadSpec('starship-rewards').servers[0].variables.baseUrl.default as string,
).pathname.replace(/\/$/, '');
