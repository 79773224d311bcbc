// Draws the Starship order lifecycle model as one self-contained SVG (no script, font or link), so the offline docs
// site shows the state diagram the model defines.

const WIDTH = 1000;
const BOX = { w: 206, h: 96 };
const BANDS = { top: 110, middle: 320, bottom: 560 };
const MARGIN = 20;
const LABEL = { line: 15, pad: 5, char: 6.9 };
const ID = 'starship-lifecycle';

const esc = (text) =>
  String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const trigger = (name) => name.replace(/_/g, ' ');
/** Breaks lines at spaces so none is longer than `max` characters. */
const wrap = (lines, max) =>
  lines.flatMap((line) => {
    const out = [];
    for (const word of line.split(' ')) {
      const longer = `${out.at(-1)} ${word}`;
      if (out.length && longer.length <= max) out[out.length - 1] = longer;
      else out.push(word);
    }
    return out;
  });

/**
 * One arrow per pair of distinct primary statuses, carrying every trigger and webhook of the transitions it stands for.
 */
function edgesOf(model) {
  const edges = new Map();
  for (const t of model.transitions) {
    if (t.from.status === t.to.status) continue;
    const key = `${t.from.status}>${t.to.status}`;
    const edge = edges.get(key) ?? {
      from: t.from.status,
      to: t.to.status,
      by: new Set(),
      webhooks: new Set(),
      paths: new Set(),
    };
    for (const b of t.by) edge.by.add(b);
    edge.webhooks.add(t.webhook);
    for (const p of t.paths) edge.paths.add(p);
    edges.set(key, edge);
  }
  return [...edges.values()];
}

/**
 * Longest distance from a status nothing leads to; the model's primary graph has no cycle, the bound only guards a
 * broken one.
 */
function ranks(statuses, edges) {
  const rank = new Map(statuses.map((s) => [s.name, 0]));
  for (let round = 0; round < statuses.length; round++)
    for (const e of edges) if (rank.get(e.to) < rank.get(e.from) + 1) rank.set(e.to, rank.get(e.from) + 1);
  return rank;
}

// Statuses nothing leaves but to close (terminal and not refundable) sit on the bottom band, the flow runs left to
// right above them.
function layout(model, edges) {
  const rank = ranks(model.statuses, edges);
  const sink = (s) => s.terminal && !s.refundable;
  const flow = model.statuses.filter((s) => !sink(s));
  const columns = [...new Set(flow.map((s) => rank.get(s.name)))].sort((a, b) => a - b);
  const xOfColumn = (c) => MARGIN + BOX.w / 2 + ((WIDTH - 2 * MARGIN - BOX.w) * c) / Math.max(1, columns.length - 1);
  const pos = new Map();
  for (const s of flow) {
    const column = columns.indexOf(rank.get(s.name));
    // A status an arrow jumps over drops to the middle band, so the arrow does not cross it.
    const skipped = edges.some(
      (e) =>
        flow.some((f) => f.name === e.from) &&
        flow.some((f) => f.name === e.to) &&
        rank.get(e.from) < rank.get(s.name) &&
        rank.get(s.name) < rank.get(e.to),
    );
    pos.set(s.name, { x: xOfColumn(column), y: skipped ? BANDS.middle : BANDS.top });
  }
  const sinks = model.statuses.filter(sink).map((s) => {
    const near = edges
      .flatMap((e) => (e.to === s.name ? [e.from] : e.from === s.name ? [e.to] : []))
      .filter((n) => pos.has(n));
    const x = near.length ? near.reduce((sum, n) => sum + pos.get(n).x, 0) / near.length : WIDTH / 2;
    return { name: s.name, x };
  });
  sinks.sort((a, b) => a.x - b.x);
  // Room between neighbours for the label of an arrow joining them.
  const gap = BOX.w + 170;
  sinks.forEach((s, i) => {
    if (i > 0) s.x = Math.max(s.x, sinks[i - 1].x + gap);
  });
  const overflow = Math.max(0, (sinks.at(-1)?.x ?? 0) + BOX.w / 2 + MARGIN - WIDTH);
  for (const s of sinks) pos.set(s.name, { x: s.x - overflow, y: BANDS.bottom });
  return pos;
}

const boxOf = ({ x, y }, inflate = 0) => ({
  x1: x - BOX.w / 2 - inflate,
  y1: y - BOX.h / 2 - inflate,
  x2: x + BOX.w / 2 + inflate,
  y2: y + BOX.h / 2 + inflate,
});
const inside = (p, b) => p.x > b.x1 && p.x < b.x2 && p.y > b.y1 && p.y < b.y2;
const overlaps = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/** Where the segment from a box's centre towards `to` leaves the box. */
function border(center, to) {
  const dx = to.x - center.x;
  const dy = to.y - center.y;
  const scale = Math.min(dx ? BOX.w / 2 / Math.abs(dx) : Infinity, dy ? BOX.h / 2 / Math.abs(dy) : Infinity);
  return { x: center.x + dx * scale, y: center.y + dy * scale };
}

const quad = (a, c, b, t) => ({
  x: (1 - t) ** 2 * a.x + 2 * (1 - t) * t * c.x + t ** 2 * b.x,
  y: (1 - t) ** 2 * a.y + 2 * (1 - t) * t * c.y + t ** 2 * b.y,
});

const cross = (a, b, c, d) => {
  const turn = (p, q, r) => Math.sign((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x));
  return turn(a, b, c) * turn(a, b, d) < 0 && turn(c, d, a) * turn(c, d, b) < 0;
};
/** How many times two sampled curves cross. */
function crossings(p, q) {
  let n = 0;
  for (let i = 1; i < p.length; i++) for (let j = 1; j < q.length; j++) if (cross(p[i - 1], p[i], q[j - 1], q[j])) n++;
  return n;
}

/**
 * A curve from box to box that misses every other box, crosses as few drawn arrows as it can, and bends as little as it
 * can.
 */
function route(from, to, others, drawn) {
  const mid = { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 };
  const len = Math.hypot(to.x - from.x, to.y - from.y) || 1;
  const normal = { x: -(to.y - from.y) / len, y: (to.x - from.x) / len };
  let best;
  for (const bend of [0, 50, -50, 100, -100, 160, -160, 230, -230]) {
    const control = { x: mid.x + normal.x * bend * 2, y: mid.y + normal.y * bend * 2 };
    const curve = { start: border(from, control), control, end: border(to, control) };
    const points = sample(curve);
    const hits = others.filter((b) => points.some((p) => inside(p, boxOf(b, 8)))).length;
    const outside = points.some((p) => p.x < MARGIN / 2 || p.x > WIDTH - MARGIN / 2 || p.y < 0);
    const score =
      (hits + Number(outside)) * 1000 + drawn.reduce((n, d) => n + crossings(points, d), 0) * 10 + Math.abs(bend) / 100;
    if (!best || score < best.score) best = { score, curve };
  }
  return best.curve;
}

function labelLines(edge) {
  const hooks = [...edge.webhooks];
  const fired = hooks.filter(Boolean);
  const webhook = !fired.length
    ? 'no webhook'
    : `fires ${fired.join(', ')}${hooks.includes(null) ? ' (not on path 1)' : ''}`;
  return [`by ${[...edge.by].map(trigger).join(', ')}`, webhook];
}

/** Which side of the box centred at `center` the point `p` lies on. */
const sideOf = (center, p) =>
  Math.abs(p.y - center.y) >= BOX.h / 2 - 0.5 ? (p.y < center.y ? 'top' : 'bottom') : p.x < center.x ? 'left' : 'right';

/**
 * Spreads the arrows that meet one side of a box along that side, ordered like the boxes at their other ends, so
 * arrows sharing a box do not merge into one line.
 */
function spreadPorts(edges, curves, pos) {
  const groups = new Map();
  edges.forEach((e, i) => {
    for (const [end, node, other] of [
      ['start', e.from, e.to],
      ['end', e.to, e.from],
    ]) {
      const side = sideOf(pos.get(node), curves[i][end]);
      const key = `${node}:${side}`;
      (groups.get(key) ?? groups.set(key, []).get(key)).push({ i, end, side, other: pos.get(other) });
    }
  });
  for (const group of groups.values()) {
    const horizontal = group[0].side === 'top' || group[0].side === 'bottom';
    group.sort((a, b) => (horizontal ? a.other.x - b.other.x : a.other.y - b.other.y));
    const step = Math.min(34, (horizontal ? BOX.w : BOX.h) / (group.length + 1));
    group.forEach((g, k) => {
      const offset = (k - (group.length - 1) / 2) * step;
      const p = curves[g.i][g.end];
      curves[g.i][g.end] = horizontal ? { x: p.x + offset, y: p.y } : { x: p.x, y: p.y + offset };
    });
  }
}

const dist = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);
const sample = (curve) => Array.from({ length: 60 }, (_, i) => quad(curve.start, curve.control, curve.end, i / 59));

/**
 * Puts a label on its curve, or beside it for an arrow too short to hold it, where it covers no box, no earlier label
 * and, if it can, no other arrow (so each label sits on its own arrow).
 */
function placeLabel(curve, lines, boxes, taken, otherCurves) {
  const w = Math.max(...lines.map((l) => l.length)) * LABEL.char + 2 * LABEL.pad;
  const h = lines.length * LABEL.line + 2 * LABEL.pad;
  const len = Math.hypot(curve.end.x - curve.start.x, curve.end.y - curve.start.y) || 1;
  const normal = { x: -(curve.end.y - curve.start.y) / len, y: (curve.end.x - curve.start.x) / len };
  const at = (shifts) =>
    shifts.flatMap((shift) =>
      [0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73].map((t) => {
        const p = quad(curve.start, curve.control, curve.end, t);
        const c = { x: p.x + normal.x * shift, y: p.y + normal.y * shift };
        return { x1: c.x - w / 2, y1: c.y - h / 2, x2: c.x + w / 2, y2: c.y + h / 2 };
      }),
    );
  const fits = (rect) =>
    rect.x1 >= 0 &&
    rect.x2 <= WIDTH &&
    rect.y1 >= 0 &&
    rect.y2 <= BANDS.bottom + BOX.h / 2 + 40 &&
    !boxes.some((b) => overlaps(rect, boxOf(b, 4))) &&
    !taken.some((r) => overlaps(rect, r));
  const clear = (rect) => !otherCurves.some((points) => points.some((p) => inside(p, rect)));
  // On its own arrow first; beside it only when the arrow is too short or too crowded.
  const on = at([0]);
  const beside = at([h / 2 + 4, -(h / 2 + 4), BOX.h / 2 + h / 2 + 6, -(BOX.h / 2 + h / 2 + 6)]);
  return (
    on.find((r) => fits(r) && clear(r)) ??
    on.find(fits) ??
    beside.find((r) => fits(r) && clear(r)) ??
    beside.find(fits) ??
    on[0]
  );
}

/** One or two short lines under a status's name: terminal or not, and what it becomes. */
function statusNote(s) {
  if (s.terminal && s.refundable) return ['terminal, refundable'];
  if (s.terminal) return ['terminal'];
  if (s.converges_to.length) return ['converges to', s.converges_to.join(' or ')];
  if (s.stuck_after_hours) return [`stuck after ${s.stuck_after_hours} h`];
  return ['not terminal'];
}

/**
 * @param {object} model the parsed lifecycle model (openapi/starship-rewards/lifecycle.yaml)
 * @returns {string} an SVG element, about 1000 px wide
 */
export function renderLifecycleSvg(model) {
  const edges = edgesOf(model);
  const pos = layout(model, edges);
  const out = [];
  const taken = [];
  const labels = [];

  // Short arrows first: the long ones then find their way around them.
  const curves = [];
  const order = edges
    .map((_, i) => i)
    .sort(
      (a, b) => dist(pos.get(edges[a].from), pos.get(edges[a].to)) - dist(pos.get(edges[b].from), pos.get(edges[b].to)),
    );
  for (const i of order) {
    const e = edges[i];
    const others = [...pos.entries()].filter(([n]) => n !== e.from && n !== e.to).map(([, p]) => p);
    curves[i] = route(
      pos.get(e.from),
      pos.get(e.to),
      others,
      order.filter((j) => curves[j]).map((j) => sample(curves[j])),
    );
  }
  spreadPorts(edges, curves, pos);
  const samples = curves.map(sample);
  edges.forEach((e, index) => {
    const curve = curves[index];
    const refund = e.paths.has('refund');
    out.push(
      `<path class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}" d="M${curve.start.x.toFixed(1)},${curve.start.y.toFixed(1)} Q${curve.control.x.toFixed(1)},${curve.control.y.toFixed(1)} ${curve.end.x.toFixed(1)},${curve.end.y.toFixed(1)}" fill="none" stroke="${refund ? '#b42318' : '#475467'}" stroke-width="1.6"${refund ? ' stroke-dasharray="6 4"' : ''} marker-end="url(#${ID}-arrow${refund ? '-refund' : ''})"/>`,
    );
    const lines = labelLines(e);
    const rect = placeLabel(
      curve,
      lines,
      [...pos.values()],
      taken,
      samples.filter((_, i) => i !== index),
    );
    taken.push(rect);
    labels.push(
      `<g class="label"><rect x="${rect.x1.toFixed(1)}" y="${rect.y1.toFixed(1)}" width="${(rect.x2 - rect.x1).toFixed(1)}" height="${(rect.y2 - rect.y1).toFixed(1)}" rx="4" fill="#ffffff" fill-opacity="0.94" stroke="#d0d5dd"/>` +
        lines
          .map(
            (l, i) =>
              `<text x="${((rect.x1 + rect.x2) / 2).toFixed(1)}" y="${(rect.y1 + LABEL.pad + LABEL.line * (i + 0.78)).toFixed(1)}" text-anchor="middle" font-size="12"${i === 1 ? ' font-style="italic"' : ''}>${esc(l)}</text>`,
          )
          .join('') +
        '</g>',
    );
  });

  const boxes = model.statuses.map((s) => {
    const { x, y } = pos.get(s.name);
    const b = boxOf({ x, y });
    const fill = s.terminal ? (s.refundable ? '#ecfdf3' : '#f2f4f7') : '#eff8ff';
    const ring = s.terminal
      ? `<rect x="${(b.x1 - 4).toFixed(1)}" y="${(b.y1 - 4).toFixed(1)}" width="${BOX.w + 8}" height="${BOX.h + 8}" rx="10" fill="none" stroke="#344054" stroke-width="1.2"/>`
      : '';
    return (
      `<g class="status" data-status="${esc(s.name)}">${ring}<rect x="${b.x1.toFixed(1)}" y="${b.y1.toFixed(1)}" width="${BOX.w}" height="${BOX.h}" rx="7" fill="${fill}" stroke="#344054" stroke-width="1.6"/>` +
      `<text x="${x.toFixed(1)}" y="${(y - 22).toFixed(1)}" text-anchor="middle" font-size="15.5" font-weight="700">${esc(s.name)}</text>` +
      `<text x="${x.toFixed(1)}" y="${(y - 1).toFixed(1)}" text-anchor="middle" font-size="13">vouchers: ${esc(s.vouchers)}</text>` +
      statusNote(s)
        .map(
          (line, i) =>
            `<text x="${x.toFixed(1)}" y="${(y + 19 + i * 16).toFixed(1)}" text-anchor="middle" font-size="12.5" font-style="italic">${esc(line)}</text>`,
        )
        .join('') +
      '</g>'
    );
  });

  const legendY = BANDS.bottom + BOX.h / 2 + 70;
  const legend = wrap(
    [
      'Double border: terminal. Dashed red arrow: a late cancellation after delivery (refund).',
      `Webhooks: ${model.webhooks.map((w) => w.name).join(', ')}. A sub-status change inside one status fires no webhook.`,
      ...Object.entries(model.triggers).map(([k, v]) => `${trigger(k)}: ${v}`),
    ],
    135,
  );
  const height = legendY + legend.length * 21;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${ID}-title ${ID}-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" fill="#101828">`,
    `<title id="${ID}-title">Starship Rewards order lifecycle</title>`,
    `<desc id="${ID}-desc">The six primary statuses (${model.statuses.map((s) => s.name).join(', ')}) and the transitions between them, each with who triggers it and the webhook it fires.</desc>`,
    `<defs><marker id="${ID}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475467"/></marker>` +
      `<marker id="${ID}-arrow-refund" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#b42318"/></marker></defs>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...out,
    ...boxes,
    ...labels,
    ...legend.map((l, i) => `<text x="${MARGIN}" y="${legendY + i * 21}" font-size="13.5">${esc(l)}</text>`),
    '</svg>',
  ].join('\n');
}
