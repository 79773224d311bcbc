// What HTTP itself can throw at the sandbox: requests Node's parser refuses, malformed targets, bodies cut off, HEAD,
// oversized bodies the client must still be told about, ambiguous JSON. Every answer is the contract's JSON error body,
// never a 5xx.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { schemaValidator, toFieldErrors } from '../../contract/index.ts';
import { sendRaw } from './bad-input-cases.ts';
import { checkResponse, clearanceOrder, Harness, withFreshSandbox } from './helpers.ts';
import { services } from './roles.ts';
import { KEY } from './starship-support.ts';

let h: Harness;
let token: string;
let port: number;
const logged = vi.spyOn(console, 'error');
beforeAll(async () => {
  h = await Harness.start();
  token = await h.token('sm_test_full');
  port = h.sandbox.port;
});
afterAll(() => h.close());

interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/** Writes raw bytes on a new connection (optionally half-closing it) and reads the answer until the server closes. */
function raw(bytes: string | Buffer, { halfClose = false, waitMs = 3000 } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
      const head = text.slice(0, split);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body: text.slice(split + 4) });
    });
    socket.write(bytes, () => {
      if (halfClose) socket.end();
    });
  });
}

const errorBody = schemaValidator('starmile-partner', 'Error');
function expectErrorBody(got: RawAnswer, status: number) {
  expect(got.status, got.head).toBe(status);
  expect(got.head).toMatch(/content-type: application\/json/i);
  const body = JSON.parse(got.body);
  expect(errorBody(body), JSON.stringify(toFieldErrors(errorBody.errors))).toBe(true);
  return body;
}

describe("requests Node's parser refuses are answered with the contract's error body", () => {
  test.each([
    ['a lower-case method', 'get /api/v1/services HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a control byte in the path', 'GET /api/v1/ser\x01vices HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a space in the path', 'GET /api/v1/ser vices HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a 20,000-character path', `GET /api/v1/orders/${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
    ['headers over 16 KiB', `GET /api/v1/services HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`, 431],
    ['a header line without a colon', 'GET /api/v1/services HTTP/1.1\r\nHost: x\r\nbroken\r\n\r\n', 400],
    [
      'a malformed chunk size',
      `POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer T\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      400,
    ],
    [
      'both Content-Length and chunked',
      'POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
    ],
  ])('%s', async (_name, request, status) => {
    const got = await raw(request.replace('Bearer T', `Bearer ${token}`));
    expectErrorBody(got, status);
  });
});

test('on a keep-alive connection, a malformed request after a finished one is answered too', async () => {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
  socket.on('error', () => {});
  const closed = new Promise((resolve) => socket.on('close', resolve));
  socket.write(`GET /api/v1/services HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
  for (let i = 0; i < 100 && !text.includes('"data"'); i++) await new Promise((r) => setTimeout(r, 10));
  expect(text).toMatch(/^HTTP\/1\.1 200 /);
  const first = text.length;
  socket.write('get /api/v1/services HTTP/1.1\r\nHost: x\r\n\r\n');
  await closed;
  const second = text.slice(first);
  expect(second).toMatch(/^HTTP\/1\.1 400 /);
  expect(JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4))).toHaveProperty('message');
});

describe('request targets', () => {
  test.each([
    ['a malformed absolute URL', 'GET http://[/api/v1/services HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400],
    [
      'an absolute URL',
      `GET http://sandbox.test/api/v1/services HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      401,
    ],
    ['an asterisk', 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 404],
  ])('%s', async (_name, request, status) => {
    expectErrorBody(await raw(request), status);
  });
});

describe('a body cut off before its declared end', () => {
  test.each([
    [
      'Content-Length longer than what is sent',
      `POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer T\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"service_id": ${services.clearance}`,
    ],
    [
      'a chunked body without its last chunk',
      `POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer T\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"ser\r\n`,
    ],
  ])('%s: 400 "The body was cut off.", nothing logged as a bug, nothing stored', async (_name, request) => {
    logged.mockClear();
    const before = h.state.snapshot();
    const got = await raw(request.replace('Bearer T', `Bearer ${token}`), { halfClose: true });
    const body = expectErrorBody(got, 400);
    expect(body.message).toBe('The body was cut off.');
    expect(body.errors).toHaveProperty('body');
    // The handler that was reading the body settles too, without a 500 or a "this is a bug".
    await new Promise((r) => setTimeout(r, 50));
    expect(logged).not.toHaveBeenCalled();
    expect(h.state.snapshot()).toBe(before);
  });
});

describe('HEAD is answered wherever GET is (RFC 9110)', () => {
  test.each([
    ['/api/v1/services', 'starmile'],
    ['/api/v1/partner/changes', 'starmile'],
    ['/_sandbox/fixtures', 'none'],
    ['/_sandbox/starship/webhooks', 'none'],
    ['/starship/v1/orders/ord_missing', 'starship'],
  ])('HEAD %s: the status and headers of GET, no body', async (path, auth) => {
    const authorization = auth === 'starmile' ? `Bearer ${token}` : auth === 'starship' ? `Bearer ${KEY}` : undefined;
    const headers = authorization ? { authorization } : {};
    const get = await sendRaw(h.sandbox.url, { method: 'GET', path, headers });
    const head = await sendRaw(h.sandbox.url, { method: 'HEAD', path, headers });
    expect(head.status).toBe(get.status);
    expect(head.text).toBe('');
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  test('HEAD without a token is 401 like GET', async () => {
    expect((await sendRaw(h.sandbox.url, { method: 'HEAD', path: '/api/v1/services' })).status).toBe(401);
  });

  test('405 lists HEAD beside GET in Allow; HEAD on a POST-only path is 405', async () => {
    const got = await sendRaw(h.sandbox.url, {
      method: 'DELETE',
      path: '/api/v1/services',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(got.status).toBe(405);
    expect(String(got.headers.allow).split(', ').sort()).toEqual(['GET', 'HEAD']);
    const post = await sendRaw(h.sandbox.url, {
      method: 'HEAD',
      path: '/api/v1/orders',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('POST');
  });
});

describe('an oversized body: the client can read the 413', () => {
  const big = new Uint8Array(8 * 1024 * 1024).fill(0x20);
  test.each([
    ['createOrder', '/api/v1/orders', 413],
    ['createToken (no 413 documented: 400 invalid_request)', '/oauth/token', 400],
    ['Starship createOrder (422 naming body, SS4)', '/starship/v1/orders', 422],
  ])('%s: 8 MiB sent at once, ten times, each answered', async (_name, path, status) => {
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${h.sandbox.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: path.startsWith('/starship') ? `Bearer ${KEY}` : `Bearer ${token}`,
        },
        body: big,
      });
      expect(response.status).toBe(status);
      await response.text();
    }
  });

  test('a client still writing its 8 MiB when the 413 comes is not reset: it finishes and reads the 413', async () => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let reset: Error | undefined;
    socket.on('data', (c: Buffer) => received.push(c));
    socket.on('error', (e) => (reset = e));
    const write = (chunk: string | Buffer) =>
      new Promise<void>((resolve) => (socket.write(chunk) ? resolve() : socket.once('drain', () => resolve())));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    await write(
      `POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n`,
    );
    let written = 0;
    for (let i = 0; i < big.length && !reset && !socket.destroyed; i += 64 * 1024) {
      await write(Buffer.from(big.buffer, i, 64 * 1024));
      written += 64 * 1024;
      if (i % (256 * 1024) === 0) await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 100));
    const closedEarly = socket.destroyed;
    socket.destroy();
    expect(reset).toBeUndefined();
    expect(closedEarly).toBe(false);
    expect(written).toBe(big.length);
    expect(Buffer.concat(received).toString('utf8')).toMatch(/^HTTP\/1\.1 413 /);
  });

  test('the connection stays usable after the 413 (the rest of the body was read and dropped)', async () => {
    const agentUrl = `${h.sandbox.url}/api/v1/orders`;
    const first = await fetch(agentUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: new Uint8Array(2 * 1024 * 1024).fill(0x20),
    });
    expect(first.status).toBe(413);
    expect(first.headers.get('connection')).not.toBe('close');
    await first.text();
    const second = await fetch(`${h.sandbox.url}/api/v1/services`, { headers: { authorization: `Bearer ${token}` } });
    expect(second.status).toBe(200);
  });
});

describe('JSON bodies must be unambiguous (decision X12)', () => {
  const order = JSON.stringify(clearanceOrder());
  const invalidUtf8 = (text: string) =>
    Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(20))]);
  test.each([
    ['createOrder: invalid UTF-8', '/api/v1/orders', invalidUtf8(order), 400, 'body'],
    [
      'createOrder: an overlong UTF-8 encoding',
      '/api/v1/orders',
      Buffer.concat([
        Buffer.from(`{"service_id":${services.clearance},"order_id":"`),
        Buffer.from([0xc0, 0xaf]),
        Buffer.from('","parcels":[{}]}'),
      ]),
      400,
      'body',
    ],
    [
      'createOrder: a lone surrogate encoded as UTF-8 bytes',
      '/api/v1/orders',
      Buffer.concat([
        Buffer.from(`{"service_id":${services.clearance},"order_id":"`),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from('","parcels":[{}]}'),
      ]),
      400,
      'body',
    ],
    [
      'createOrder: order_id twice',
      '/api/v1/orders',
      `{"service_id":${services.clearance},"order_id":"A","order_id":"B","parcels":[{}]}`,
      400,
      'body',
    ],
    [
      'createOrder: a key twice in a parcel',
      '/api/v1/orders',
      `{"service_id":${services.clearance},"order_id":"A","parcels":[{"item_id":"X","item_id":"Y"}]}`,
      400,
      'body',
    ],
    [
      'createOrder: the same key spelt with an escape',
      '/api/v1/orders',
      `{"service_id":${services.clearance},"order_id":"A","order\\u005fid":"B","parcels":[{}]}`,
      400,
      'body',
    ],
    [
      'updateParcel: a key twice',
      '/api/v1/orders/{ref}/parcels/{item}',
      `{"weight_grams":1,"weight_grams":2}`,
      400,
      'body',
    ],
    [
      'reportEvent: invalid UTF-8',
      '/api/v1/partner/events',
      invalidUtf8(
        JSON.stringify({
          event_id: 'e',
          type: 'parcel.received',
          occurred_at: '2026-01-01T00:00:00Z',
          parcel_id: 'SP0000000001',
        }),
      ),
      400,
      'body',
    ],
    [
      'mapRegion: a key twice',
      '/_sandbox/region-mappings',
      `{"client_id":"sm_test_full","client_id":"sm_other_full","parent_region":"7","region":"8"}`,
      400,
      'body',
    ],
    [
      'Starship createOrder: a key twice (422, SS4)',
      '/starship/v1/orders',
      `{"sku":"AMZ-GC-25-EUR","quantity":1,"quantity":50}`,
      422,
      'body',
    ],
    [
      'Starship createOrder: invalid UTF-8 (422, SS4)',
      '/starship/v1/orders',
      invalidUtf8(`{"sku":"AMZ-GC-25-EUR","quantity":1,"reference":"abc"}`),
      422,
      'body',
    ],
  ])('%s', async (name, template, body, status, field) => {
    const created = await h.createOrder(clearanceOrder({ parcels: [{ item_id: `DUP-${Math.random()}` }] }));
    const path = template
      .replace('{ref}', created.body.data.order_id)
      .replace('{item}', created.body.data.items[0].parcel_id);
    const method = name.startsWith('updateParcel') ? 'PATCH' : 'POST';
    const authorization = path.startsWith('/starship')
      ? `Bearer ${KEY}`
      : path.startsWith('/_sandbox')
        ? undefined
        : `Bearer ${token}`;
    const before = h.state.snapshot();
    const got = await sendRaw(h.sandbox.url, {
      method,
      path,
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body,
    });
    expect(got.status, got.text).toBe(status);
    const parsed = JSON.parse(got.text);
    checkResponse(method, path, got.status, new Headers(got.headers as Record<string, string>), parsed);
    expect(Object.keys(parsed.errors)).toEqual([field]);
    expect(h.state.snapshot()).toBe(before);
  });

  test('createToken: a parameter twice in JSON, invalid UTF-8 in a form: invalid_request', async () => {
    for (const [type, body] of [
      [
        'application/json',
        '{"grant_type":"client_credentials","client_id":"sm_test_full","client_id":"sm_other_full","client_secret":"sandbox-secret-full"}',
      ],
      [
        'application/x-www-form-urlencoded',
        Buffer.concat([
          Buffer.from('grant_type=client_credentials&client_id=sm_test_full&client_secret=sandbox-secret-'),
          Buffer.from([0xff]),
        ]),
      ],
      [
        'application/x-www-form-urlencoded',
        'grant_type=client_credentials&client_id=sm_test_full&client_secret=%FF%FE',
      ],
    ] as const) {
      const got = await sendRaw(h.sandbox.url, {
        method: 'POST',
        path: '/oauth/token',
        headers: { 'content-type': type },
        body,
      });
      expect(got.status, got.text).toBe(400);
      expect(JSON.parse(got.text).error).toBe('invalid_request');
    }
  });

  test('valid UTF-8 that merely looks unusual is kept: escapes, emoji, a BOM-like character inside a string', async () => {
    const ref = `U-${Date.now()}-\u{1F4E6}-\uFEFF-\\u00e9`;
    const created = await h.createOrder(clearanceOrder({ order_id: ref }));
    expect(created.body.data.external_parent_id).toBe(ref);
  });
});

describe('a client too slow to send its request', () => {
  test.each([
    ['headers that never end', 'GET /api/v1/services HTTP/1.1\r\nHost: x\r\nX-Slow: '],
    [
      'a body that never ends',
      'POST /_sandbox/region-mappings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    ],
  ])('%s: 408 with the error body once the request timeout passes', async (_name, start) => {
    await withFreshSandbox({ requestTimeoutMs: 300 }, async (slow) => {
      const answer = await new Promise<RawAnswer>((resolve, reject) => {
        const socket = connect(slow.sandbox.port, '127.0.0.1');
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.on('error', () => {});
        socket.on('close', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const split = text.indexOf('\r\n\r\n');
          if (split < 0) return reject(new Error(`no answer: ${JSON.stringify(text)}`));
          resolve({
            status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
            head: text.slice(0, split),
            body: text.slice(split + 4),
          });
        });
        socket.write(start);
        setTimeout(() => socket.destroy(), 5_000);
      });
      const body = expectErrorBody(answer, 408);
      expect(body.message).toMatch(/in time/);
    });
  });
});
