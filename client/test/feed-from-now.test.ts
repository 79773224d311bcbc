// A consumer with no cursor yet starts at the status pool's end (API 2.0.0, decision X10), against the real sandbox:
// what came before is skipped, what comes after is read exactly once; `since` is typed from the spec, `'now'` among its
// known values.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { clearanceServiceOf } from '../../sandbox/src/catalogue.ts';
import { credentialOfRole, loadFixtures } from '../../sandbox/src/fixtures.ts';
import { type RunningSandbox, startSandbox } from '../../sandbox/src/server.ts';
import { type ChangesQuery, createStarmileClient, type StarmileClient } from '../src/index.js';

// The fixtures by role (client tests import only sandbox/src/): the credential with every scope, and a clearance
// service it may order, which needs no region fields.
const fixtures = loadFixtures();
const full = credentialOfRole(fixtures, 'full');
const clearance = clearanceServiceOf(fixtures, full)!.id;

let sandbox: RunningSandbox;
let client: StarmileClient;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  client = createStarmileClient({
    baseUrl: sandbox.url,
    clientId: full.client_id,
    clientSecret: full.client_secret,
  });
});
afterAll(() => sandbox?.close());

/** Every page from `since`; the entries' own order_ids and the cursor the generator returns. */
async function drain(query: ChangesQuery): Promise<{ orders: string[]; cursor: string | undefined }> {
  const orders: string[] = [];
  const pages = client.changePages(query);
  for (;;) {
    const step = await pages.next();
    if (step.done) return { orders, cursor: step.value };
    orders.push(...step.value.data.map((e) => e.external_parent_id));
  }
}

const order = (id: string) => ({ service_id: clearance, order_id: id, parcels: [{ item_id: `${id}-1` }] });

describe("changePages({ since: 'now' })", () => {
  it('skips the history and returns the cursor from which only later changes are read', async () => {
    for (const id of ['OLD-1', 'OLD-2']) expect((await client.createOrder(order(id))).response.status).toBe(201);
    const start = await drain({ since: 'now' });
    expect(start.orders).toEqual([]);
    expect(start.cursor).toEqual(expect.any(String));
    expect((await client.createOrder(order('NEW-1'))).response.status).toBe(201);
    const next = await drain({ since: start.cursor! });
    expect(next.orders).toEqual(['NEW-1']);
    expect((await drain({ since: next.cursor! })).orders).toEqual([]);
  });

  it("types since from the spec: 'now' is a known value, any cursor string is accepted", () => {
    // Exclude, not NonNullable: `T & {}` lets the compiler fold the literal into `string & {}`.
    type Since = Exclude<ChangesQuery['since'], undefined>;
    expectTypeOf<Extract<Since, 'now'>>().toEqualTypeOf<'now'>();
    expectTypeOf<'c1.x.y'>().toMatchTypeOf<Since>();
  });
});
