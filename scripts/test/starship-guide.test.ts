// The guide "Handling the order lifecycle" cannot drift from the model and the helpers: its decoder table, its status
// table and its imports are checked, and its webhook receiver is run against the sandbox.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as starship from '../../client/src/starship.ts';
import { loadSpec } from '../../contract/index.ts';
import { loadFixtures } from '../../sandbox/src/fixtures.ts';
import { type RunningSandbox, startSandbox } from '../../sandbox/src/server.ts';

const guide = readFileSync(new URL('../../docs/guides/handling-the-order-lifecycle.md', import.meta.url), 'utf8');
/** Table rows whose first cell is a code span, by that cell: `| \`NAME\` | … |` -> ['', 'NAME' cell, …]. */
const table = new Map(
  guide
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.split('|').map((c) => c.trim()))
    .map((cells) => [cells[1]!.replace(/`/g, ''), cells] as const),
);

describe('the guide', () => {
  it.each(starship.lifecycle.sub_statuses.map((s) => [s.name, s] as const))(
    'decodes %s as the model does',
    (name, s) => {
      const row = table.get(name);
      expect(row, `no row for ${name}`).toBeDefined();
      expect(row![2]).toContain(s.typical_primaries.join(' / '));
      expect(row![3]).toBe(s.meaning);
      expect(row![4]).toBe(s.action);
    },
  );

  it.each(starship.lifecycle.statuses.map((s) => [s.name, s] as const))(
    'describes %s with its terminal flag',
    (name, s) => {
      const row = table.get(name);
      expect(row, `no row for ${name}`).toBeDefined();
      expect(row![3]!.startsWith(s.terminal ? 'yes' : 'no')).toBe(true);
    },
  );

  it('imports only what the helpers export', () => {
    const imported = [...guide.matchAll(/import \{([^}]*)\} from '@starmile\/partner-client\/starship'/g)].flatMap(
      (m) => m[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, '')),
    );
    expect(imported.length).toBeGreaterThan(5);
    const exported = readFileSync(new URL('../../client/src/starship.ts', import.meta.url), 'utf8');
    const reexported = [...exported.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) =>
      m[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, '')),
    );
    for (const name of imported)
      if (!reexported.includes(name))
        expect(exported, name).toMatch(new RegExp(`export (const|function|type|interface) ${name}\\b`));
  });

  it('embeds the diagram and the spec examples it talks about', () => {
    expect(guide).toContain('<!-- include: lifecycle-diagram -->');
    const names = [...guide.matchAll(/<!-- include: example starship-rewards (\w+) -->/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const name of names) expect(Object.keys(loadSpec('starship-rewards').components.examples)).toContain(name);
  });
});

/** The code block the guide marks as its tested webhook receiver, importing the helpers from source. */
function guideReceiver(): string {
  const marker = guide.indexOf('<!-- tested: starship-webhook-receiver');
  const code = /```ts\n([\s\S]*?)```/.exec(guide.slice(marker))?.[1];
  if (marker < 0 || !code) throw new Error('the guide lost its tested webhook receiver block');
  return code.replace(
    "'@starmile/partner-client/starship'",
    JSON.stringify(fileURLToPath(new URL('../../client/src/starship.ts', import.meta.url))),
  );
}

describe("the guide's webhook receiver tells a forged, a replayed and a correctly signed webhook apart", () => {
  const secrets = loadFixtures().starship.accounts[0]!.webhook_secrets;
  const handled: starship.OrderEvent[] = [];
  let dir: string;
  let receiver: Server;
  let url: string;
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'starship-guide-'));
    const file = join(dir, 'receiver.ts');
    writeFileSync(file, guideReceiver());
    const { starshipReceiver } = (await import(file)) as {
      starshipReceiver: (s: string[], h: (e: starship.OrderEvent) => Promise<void>) => Server;
    };
    receiver = starshipReceiver(secrets, async (event) => void handled.push(event));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/starship`;
    sandbox = await startSandbox({ port: 0, starshipWebhookUrl: url });
  });
  afterAll(async () => {
    await sandbox?.close();
    await new Promise((resolve) => receiver?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const post = async (body: string, signature?: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'starship-signature': signature } : {}) },
      body,
    });
    return { status: response.status, text: await response.text() };
  };

  it("accepts the sandbox's signed delivery and acts on it once; a replay inside the window is acknowledged, not acted on again", async () => {
    const placed = await fetch(`${sandbox.url}/starship/v1/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${loadFixtures().starship.accounts[0]!.api_key}`,
      },
      body: JSON.stringify({ sku: 'AMZ-GC-25-EUR', quantity: 1 }),
    });
    const order = (await placed.json()) as starship.Order;
    const log = (await (await fetch(`${sandbox.url}/_sandbox/starship/webhooks?order_id=${order.id}`)).json()) as {
      data: { status: string; response_status: number; signature: string; body: string }[];
    };
    for (let i = 0; i < 50 && log.data[0]!.status === 'pending'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      Object.assign(log, await (await fetch(`${sandbox.url}/_sandbox/starship/webhooks?order_id=${order.id}`)).json());
    }
    const [delivery] = log.data;
    expect(delivery).toMatchObject({ status: 'delivered', response_status: 204 });
    expect(handled.map((e) => e.order.id)).toEqual([order.id]);
    expect(await post(delivery!.body, delivery!.signature)).toEqual({ status: 204, text: '' });
    expect(handled).toHaveLength(1);
  });

  it.each([
    [
      'forged: signed with a guessed secret',
      async (body: string) =>
        post(body, await starship.signWebhook(body, 'whsec_guessed_by_an_attacker', Math.floor(Date.now() / 1000))),
      'forged',
    ],
    [
      'forged: the body altered after signing',
      async (body: string) =>
        post(
          body.replace('DELIVERED', 'CANCELLED'),
          await starship.signWebhook(body, secrets, Math.floor(Date.now() / 1000)),
        ),
      'forged',
    ],
    [
      'replayed: a signed delivery sent again an hour later',
      async (body: string) =>
        post(body, await starship.signWebhook(body, secrets, Math.floor(Date.now() / 1000) - 3600)),
      'replayed',
    ],
    ['malformed: no signature at all', async (body: string) => post(body), 'malformed'],
  ])('%s: 400 and nothing happens', async (_name, send, reason) => {
    const before = handled.length;
    const body = JSON.stringify({
      ...loadSpec('starship-rewards').components.examples.NotifyOrderDeliveredRequestExample.value,
      event_id: `evt_${reason}${Date.now()}`,
    });
    expect(await send(body)).toEqual({ status: 400, text: reason });
    expect(handled).toHaveLength(before);
  });
});
