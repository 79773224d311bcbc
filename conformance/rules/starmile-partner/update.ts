// Checks of updating a parcel: partial update, products replacement, addressing, 409 past the first step or after
// cancel, 422, 404.

import { messages } from '../../../contract/starmile-partner.ts';
import type { DesignedPart } from '../../src/context.ts';
import { expect } from '../../src/expect.ts';
import { answer, at, currentParcel, json, noConflict, request, response } from '../../src/fault-kit.ts';
import { ADDRESSING, EMPTY_UPDATE, REJECTED_422, UNKNOWN_FIELDS } from './designed.ts';
import {
  advance,
  type Created,
  cancelled,
  created,
  expectError,
  expectRejected,
  expectStatus,
  expectStickerKept,
  homeOrder,
  judgedIn,
  on,
  parcel,
  product,
  readOrder,
  updateParcel,
} from './lib.ts';
import { type LimitCase, limitCases, rounds, withValue, withValues } from './limits.ts';
import { designed, PARCEL, rule, S001, seed } from './meta.ts';

rule({
  id: 'UPD-PARTIAL',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update'],
  title: 'Only the fields sent change.',
  source: seed(S001, 'Partial: only the fields you send change'),
  fault: request(at.updateParcel, (req) => {
    if (req.json && req.json.weight_grams === undefined && !Object.keys(req.json).every((k) => k === 'products'))
      req.json.weight_grams = 1;
  }),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    const sent = order.body.parcels[0]!;
    const sticker = t.ref('m');
    const res = await updateParcel(t, order.orderId, sent.item_id!, { merchant_tracking: sticker });
    expectStatus(res, 200);
    const unchanged = {
      package_type: sent.package_type,
      weight_grams: sent.weight_grams,
      length_mm: sent.length_mm,
      width_mm: sent.width_mm,
      height_mm: sent.height_mm,
      products: sent.products,
    };
    on(res, (b) =>
      expect({
        merchant_tracking: b.data.merchant_tracking,
        package_type: b.data.package_type,
        weight_grams: b.data.weight_grams,
        length_mm: b.data.length_mm,
        width_mm: b.data.width_mm,
        height_mm: b.data.height_mm,
        products: b.data.products,
      }).toEqual({ merchant_tracking: sticker, ...unchanged }),
    );
    const second = await updateParcel(t, order.orderId, sent.item_id!, { weight_grams: 2222 });
    expectStatus(second, 200);
    const p = (await readOrder(t, order.tracking)).parcels[0]!;
    expect(
      {
        merchant_tracking: p.merchant_tracking,
        weight_grams: p.weight_grams,
        package_type: p.package_type,
        products: p.products,
      },
      'read back after two partial updates',
    ).toEqual({
      merchant_tracking: sticker,
      weight_grams: 2222,
      package_type: sent.package_type,
      products: sent.products,
    });
  },
});

rule({
  id: 'UPD-PRODUCTS-REPLACE',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update'],
  title: 'products, when sent, replaces the whole list.',
  source: seed(S001, 'products, when sent, replaces the whole list.'),
  fault: request(
    at.updateParcel,
    (req) =>
      void (
        Array.isArray(req.json?.products) &&
        req.json.products.length &&
        req.json.products.push({ ...req.json.products[0] })
      ),
  ),
  check: async (t) => {
    const order = await created(
      t,
      homeOrder(t, {
        parcels: [parcel(t, { products: [product(), product({ name: 'Laces', hs_code: '560790', quantity: 3 })] })],
      }),
    );
    const replacement = [
      product({ name: 'Olive oil 1L', hs_code: '150910', declared_value: 18, quantity: 2, weight_grams: 1000 }),
    ];
    const res = await updateParcel(t, order.orderId, order.body.parcels[0]!.item_id!, { products: replacement });
    expectStatus(res, 200);
    on(res, (b) => expect(b.data.products, 'the whole list is replaced').toEqual(replacement));
    expect((await readOrder(t, order.tracking)).parcels[0]!.products, 'read back').toEqual(replacement);
  },
});

rule({
  id: 'UPD-ADDRESSING',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update'],
  title:
    "A parcel is addressed by the partner's order_id (or the tracking number, 001) and its item_id; designed (D3): by its parcel_id too, also a parcel sent without item_id.",
  source: seed(S001, 'The path uses your own references: order_idthen the parcel’s item_id.', 'D3'),
  fault: answer(
    (r) => at.updateParcel(r) && /^SP\d+$/.test(r.path.split('/')[6] ?? ''),
    () => json(404, { message: 'No such parcel.' }),
  ),
  moreFaults: [
    {
      bug: "a parcel is found only by its parcel_id, never by the partner's item_id",
      class: 'documented',
      fault: answer(
        (r) => at.updateParcel(r) && !/^SP\d+$/.test(r.path.split('/')[6] ?? ''),
        () => json(404, { message: 'No such parcel.' }),
      ),
    },
  ],
  check: async (t) => {
    const { item_id: _none, ...anonymous } = parcel(t);
    const order = await created(t, homeOrder(t, { parcels: [parcel(t), anonymous] }));
    const [named, unnamed] = order.parcels as [{ item_id: string; parcel_id: string }, { parcel_id: string }];
    for (const [what, orderRef, parcelRef, grams, part] of [
      ['order_id and item_id', order.orderId, named.item_id, 1501, undefined],
      ['tracking number and item_id', order.tracking, named.item_id, 1502, undefined],
      ['tracking number and parcel_id', order.tracking, named.parcel_id, 1503, ADDRESSING],
      ['order_id and parcel_id', order.orderId, named.parcel_id, 1504, ADDRESSING],
      ['a parcel sent without item_id, by its parcel_id', order.orderId, unnamed.parcel_id, 1505, ADDRESSING],
    ] as const) {
      const res = await updateParcel(t, orderRef, parcelRef, { weight_grams: grams });
      const judge = () => {
        expectStatus(res, 200, what);
        on(res, (b) => expect(b.data.weight_grams, what).toBe(grams));
      };
      judgedIn(t, part, judge);
    }
  },
});

rule({
  id: 'UPD-409-PAST-FIRST-STEP',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update', 'lifecycle'],
  title: 'Once a parcel moved past the first step, an update is 409 and changes nothing.',
  source: seed(
    S001,
    'Once the order has moved past its first step (for example the parcel has been received at the hub) the update is rejected 409.',
  ),
  hooks: ['advanceParcel'],
  fault: noConflict(at.updateParcel, currentParcel),
  check: async (t) => {
    t.needHook('advanceParcel');
    const order = await created(t, homeOrder(t));
    await advance(t, order, order.parcels[0]!.parcel_id);
    expectError(
      t,
      await updateParcel(t, order.orderId, order.body.parcels[0]!.item_id!, { merchant_tracking: t.ref('m') }),
      409,
    );
    await expectStickerKept(t, order, 'nothing changed');
  },
});

rule({
  id: 'UPD-409-CANCELLED',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update', 'cancel'],
  title: 'Updating a parcel of a cancelled order is 409.',
  source: designed('A cancelled order is final.', `${PARCEL}/responses/409`, 'X3'),
  fault: noConflict(at.updateParcel, currentParcel),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    await cancelled(t, order);
    expectError(t, await updateParcel(t, order.orderId, order.body.parcels[0]!.item_id!, { weight_grams: 999 }), 409);
  },
});

rule({
  id: 'UPD-422-INVALID',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update', 'validation', 'limits'],
  title:
    "Every bound of an update's fields, generated from the spec, is refused just past it and changes nothing, and accepted at the limit (documented bounds in the documented class, designed ones in the contract class); designed: an empty update (D21) and an undefined field (D9) are refused too, 422 naming the field.",
  source: seed(S001, 'Body (all optional; partial update)', 'D14'),
  fault: async (req, ctx) => {
    const res = await ctx.upstream(req);
    return at.updateParcel(req) && res.status === 422 ? currentParcel(req, ctx) : res;
  },
  moreFaults: [
    {
      bug: 'an update truncates an over-long hs_code instead of refusing it',
      class: 'documented',
      fault: request(at.updateParcel, (req) => {
        for (const p of req.json?.products ?? []) if (typeof p.hs_code === 'string') p.hs_code = p.hs_code.slice(0, 32);
      }),
    },
  ],
  check: async (t) => {
    const cases = [
      ...limitCases('UpdateParcelRequest', () => product()),
      {
        field: 'products.0.currency',
        what: 'products.0.currency not 3 capitals',
        value: () => 'usd',
        expect: 'refused' as const,
        class: 'documented' as const,
      },
    ];
    const extra: { what: string; body: Record<string, unknown>; field?: string; part: DesignedPart }[] = [
      { what: 'an empty update', body: {}, part: EMPTY_UPDATE },
      {
        what: 'an undefined field',
        body: { merchant_traking: 'typo' },
        field: 'merchant_traking',
        part: UNKNOWN_FIELDS,
      },
    ];
    // Refusals of documented bounds on one order, of designed ones on another: "nothing changed" is judged in each
    // case's class.
    const [documented, designedOne, accepting] = await Promise.all([
      created(t, homeOrder(t)),
      created(t, homeOrder(t)),
      created(t, homeOrder(t)),
    ]);
    const refuse = async (order: Created, cls: 'documented' | 'contract') => {
      const mine = cases.filter((c) => c.expect === 'refused' && c.class === cls);
      const item = order.body.parcels[0]!.item_id!;
      const answers = await Promise.all(
        mine.map(async (c) => ({
          c,
          res: await updateParcel(
            t,
            order.orderId,
            item,
            withValue({ products: [product()] }, c.field, c.value(t)),
            order.as,
          ),
        })),
      );
      for (const { c, res } of answers) {
        judgedIn(t, cls === 'contract' ? c.part! : undefined, () => expectRejected(t, res, 422, c.field, c.what));
      }
    };
    const unchanged = async (order: Created) => {
      const p = (await readOrder(t, order.tracking)).parcels[0]!;
      const sent = order.body.parcels[0]!;
      expect([p.merchant_tracking, p.package_type, p.weight_grams, p.length_mm, p.products], 'nothing changed').toEqual(
        [sent.merchant_tracking, sent.package_type, sent.weight_grams, sent.length_mm, sent.products],
      );
    };
    await refuse(documented, 'documented');
    await unchanged(documented);
    await t.designed(REJECTED_422, async () => {
      await refuse(designedOne, 'contract');
      for (const e of extra) {
        const res = await updateParcel(t, designedOne.orderId, designedOne.body.parcels[0]!.item_id!, e.body);
        t.designed(e.part, () => expectRejected(t, res, 422, e.field, e.what));
      }
      await unchanged(designedOne);
    });
    // Values at their limits together, a group per update; a refused group is tried value by value.
    const item = accepting.body.parcels[0]!.item_id!;
    const update = (group: LimitCase[]) =>
      updateParcel(t, accepting.orderId, item, withValues({ products: [product()] }, group, t));
    const judge = (c: LimitCase, res: Awaited<ReturnType<typeof update>>) => {
      const check = () => expectStatus(res, 200, `${c.what} is accepted`);
      judgedIn(t, c.class === 'contract' ? c.part! : undefined, check);
    };
    for (const group of rounds(cases.filter((c) => c.expect === 'accepted'))) {
      const res = await update(group);
      if (res.status === 200) for (const c of group) judge(c, res);
      else for (const c of group) judge(c, await update([c]));
    }
  },
});

rule({
  id: 'UPD-NOT-FOUND',
  level: 'MUST',
  operations: ['updateParcel'],
  tags: ['update'],
  title: 'An unknown order or parcel is 404.',
  source: designed('Addressing by references.', `${PARCEL}/responses/404`, 'D3'),
  fault: response(at.updateParcel, (res) =>
    res.status === 404 ? json(422, { message: messages.invalid, errors: { item_id: ['Unknown parcel.'] } }) : undefined,
  ),
  check: async (t) => {
    const order = await created(t, homeOrder(t));
    expectError(
      t,
      await updateParcel(t, order.orderId, t.ref('nope'), { weight_grams: 1000 }),
      404,
      undefined,
      'an unknown parcel',
    );
    expectError(
      t,
      await updateParcel(t, t.ref('nope'), order.body.parcels[0]!.item_id!, { weight_grams: 1000 }),
      404,
      undefined,
      'an unknown order',
    );
  },
});
