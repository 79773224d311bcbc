// The rules over every response of the run: the envelope (documented status, Content-Type) and, per operation, the body
// against its schema.

import { at, kept, response } from '../../src/fault-kit.ts';
import { secrets } from '../../src/secrets.ts';
import { reportFindings, shapeRules } from '../../src/shape-rules.ts';
import { cancelled, created, getOrder, homeOrder, parcelEvent, reportEvent, updateParcel } from './lib.ts';
import { PROTECTED, rule, S002, seed } from './meta.ts';

rule({
  id: 'GEN-RESPONSE-CONTRACT',
  level: 'MUST',
  operations: ['createToken', ...PROTECTED],
  tags: ['general'],
  title:
    'Every response of the run is JSON (documented class) with a status and Content-Type its operation documents (contract class); bodies are judged by the SHAPE rules.',
  source: seed(S002, 'All requests and responses are JSON over HTTPS.'),
  serial: true,
  // Answered as text: the documented "JSON" broken (the envelope), whatever the body.
  fault: response(at.listServices, (res) => ({
    status: res.status,
    headers: { 'content-type': 'text/plain' },
    body: Buffer.from('services: see the console'),
  })),
  check: async (t) => {
    // Its own round of every operation, so the rule means something when run alone.
    await t.request({ path: '/api/v1/services' });
    await t.request({ path: '/api/v1/rates' });
    await t.request({ path: '/api/v1/partner/changes' });
    const order = await created(t, homeOrder(t));
    await getOrder(t, order.tracking);
    await updateParcel(t, order.orderId, order.body.parcels[0]!.item_id!, { weight_grams: 1234 });
    await reportEvent(t, parcelEvent(t, 'parcel.measured', order.parcels[0]!.parcel_id, { weight_grams: 1234 }));
    await cancelled(t, order);
    await t.request({ path: '/api/v1/orders', json: {} });
    reportFindings(t, t.run.shapes.list('envelope'));
  },
});

const withOrder =
  (then: (t: Parameters<typeof created>[0], order: Awaited<ReturnType<typeof created>>) => Promise<unknown>) =>
  async (t: Parameters<typeof created>[0]) =>
    then(t, await created(t, homeOrder(t)));

for (const definition of shapeRules(
  'starmile-partner',
  {
    createToken: async (t) => {
      const c = t.credential('full');
      const res = await t.http.request({
        path: '/oauth/token',
        json: { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret },
      });
      const token = (res.body as { access_token?: unknown } | undefined)?.access_token;
      if (typeof token === 'string') secrets.add(token, '$STARMILE_TOKEN');
    },
    listServices: (t) => t.request({ path: '/api/v1/services' }),
    listRates: (t) => t.request({ path: '/api/v1/rates' }),
    listChanges: (t) => t.request({ path: '/api/v1/partner/changes' }),
    createOrder: withOrder(async () => undefined),
    getOrder: withOrder((t, order) => getOrder(t, order.tracking)),
    updateParcel: withOrder((t, order) =>
      updateParcel(t, order.orderId, order.body.parcels[0]!.item_id!, { weight_grams: 1234 }),
    ),
    cancelOrder: withOrder((t, order) => cancelled(t, order)),
    reportEvent: withOrder((t, order) =>
      reportEvent(t, parcelEvent(t, 'parcel.measured', order.parcels[0]!.parcel_id, { weight_grams: 1234 })),
    ),
  },
  {
    // access_token is the one documented field of a token answer, and the suite's preflight needs it: only a token asked
    // for again loses it.
    createToken: {
      bug: 'a client asking again while its token is live gets an answer without access_token',
      class: 'documented',
      fault: response(at.token, (res, req, ctx) => {
        const issued = kept(ctx, 'issued', () => new Set<unknown>());
        if (res.status === 200 && issued.has(req.json?.client_id)) delete res.json.access_token;
        issued.add(req.json?.client_id);
      }),
    },
    listServices: { path: 'data[].name' },
    listRates: { path: 'data[].currency' },
    createOrder: { path: 'data.region_status' },
    listChanges: { path: 'data' },
  },
))
  rule(definition);
