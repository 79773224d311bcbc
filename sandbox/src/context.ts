// What every route handler receives.
import type { IncomingMessage } from 'node:http';
import type { Credential } from '../../contract/sandbox-admin.ts';
import type { Reply } from './http.ts';
import type { SandboxState } from './store.ts';

export interface Ctx {
  req: IncomingMessage;
  state: SandboxState;
  /** Decoded path parameters, in the order of the path template. */
  params: string[];
  query: URLSearchParams;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;
export type PartnerHandler = (ctx: Ctx, credential: Credential) => Reply | Promise<Reply>;
