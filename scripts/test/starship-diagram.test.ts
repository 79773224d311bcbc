// The lifecycle diagram drawn from the model: well-formed, self-contained SVG naming every status, trigger and webhook,
// with labels that cover no box.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderLifecycleSvg } from '../lib/lifecycle-diagram.mjs';

type Model = {
  statuses: { name: string; terminal: boolean; refundable: boolean }[];
  transitions: {
    id: string;
    from: { status: string };
    to: { status: string };
    by: string[];
    webhook: string | null;
    paths: string[];
  }[];
  webhooks: { name: string }[];
  triggers: Record<string, string>;
};
const model = (): Model =>
  parse(readFileSync(new URL('../../openapi/starship-rewards/lifecycle.yaml', import.meta.url), 'utf8'));

/**
 * Problems that make the text not well-formed XML: unbalanced or crossed tags, raw `<` or `&` in text, unquoted
 * attributes.
 */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let last = 0;
  for (const m of xml.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const text = xml.slice(last, m.index);
    if (/[<>]|&(?!(amp|lt|gt|quot|apos);)/.test(text)) problems.push(`raw markup in text: ${text.slice(0, 40)}`);
    last = m.index + m[0].length;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      if (stack.pop() !== name) problems.push(`</${name}> closes nothing open`);
    } else if (!selfClosing) stack.push(name!);
  }
  if (/\S/.test(xml.slice(last))) problems.push('text after the root element');
  if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;
}

type Rect = { x1: number; y1: number; x2: number; y2: number };
const rects = (svg: string, pattern: RegExp): Rect[] =>
  [...svg.matchAll(pattern)].map((m) => {
    const [x, y, w, h] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    return { x1: x, y1: y, x2: x + w, y2: y + h };
  });
const overlap = (a: Rect, b: Rect) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

describe('renderLifecycleSvg', () => {
  const svg = renderLifecycleSvg(model());

  it('is one well-formed svg element, about 1000 px wide', () => {
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toMatch(/viewBox="0 0 1000 \d+"/);
  });

  it('the well-formedness check catches broken markup', () => {
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a < b</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>R&D</text></svg>')).not.toEqual([]);
  });

  it('needs nothing from the network: no script, link, image or external font', () => {
    expect(svg).not.toMatch(/<script|<image|<foreignObject|@import|@font-face|href=/i);
    expect(svg.match(/https?:\/\/[^"\s]+/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it.each(model().statuses.map((s) => [s.name]))('names %s in a box', (name) => {
    expect(svg).toContain(`data-status="${name}"`);
    expect(svg).toContain(`>${name}</text>`);
  });

  it.each(model().webhooks.map((w) => [w.name]))('names webhook %s on an arrow', (name) => {
    expect(svg).toMatch(new RegExp(`<text[^>]*font-style="italic">fires [^<]*${name.replace('.', '\\.')}`));
  });

  it('marks terminal statuses, DELIVERED as terminal but refundable', () => {
    const note = (status: string) => svg.match(new RegExp(`data-status="${status}">(.*?)</g>`, 's'))![1];
    expect(note('DELIVERED')).toContain('terminal, refundable');
    expect(note('CANCELLED')).toMatch(/>terminal</);
    expect(note('FAILED')).toMatch(/>terminal</);
    expect(note('PARTIALLY_DELIVERED')).toMatch(/>converges to<.*>DELIVERED or CANCELLED</);
    expect(note('PENDING')).not.toContain('terminal<');
  });

  it('draws one arrow per pair of statuses a transition joins, labelled with its triggers', () => {
    const m = model();
    const pairs = new Set(
      m.transitions.filter((t) => t.from.status !== t.to.status).map((t) => `${t.from.status}>${t.to.status}`),
    );
    const arrows = [...svg.matchAll(/class="edge" data-from="(\w+)" data-to="(\w+)"/g)].map((a) => `${a[1]}>${a[2]}`);
    expect(arrows.sort()).toEqual([...pairs].sort());
    for (const t of m.transitions) for (const by of t.by) expect(svg).toContain(by.replace(/_/g, ' '));
  });

  it('puts no label over a status box or over another label', () => {
    const boxes = rects(svg, /<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)" rx="7"/g);
    const labels = rects(svg, /<g class="label"><rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g);
    expect(boxes).toHaveLength(6);
    expect(labels.length).toBeGreaterThanOrEqual(9);
    for (const l of labels) for (const b of boxes) expect(overlap(l, b), JSON.stringify({ l, b })).toBe(false);
    for (const [i, a] of labels.entries())
      for (const b of labels.slice(i + 1)) expect(overlap(a, b), JSON.stringify({ a, b })).toBe(false);
    for (const r of [...boxes, ...labels]) expect(r.x1 >= 0 && r.x2 <= 1000).toBe(true);
  });

  it.each<[string, { given: (m: Model) => void; want: (svg: string) => void }]>([
    [
      'without the late cancellation there is no dashed refund arrow',
      {
        given: (m) => {
          m.transitions = m.transitions.filter((t) => !t.paths.includes('refund'));
        },
        want: (s) => expect(s).not.toContain('stroke-dasharray'),
      },
    ],
    ['with it there is one', { given: () => {}, want: (s) => expect(s.match(/stroke-dasharray/g)).toHaveLength(1) }],
    [
      'a renamed webhook is what the arrows say',
      {
        given: (m) => {
          for (const t of m.transitions) if (t.webhook === 'order.delivered') t.webhook = 'order.fulfilled';
        },
        want: (s) => expect(s).toContain('fires order.fulfilled'),
      },
    ],
    [
      'text from the model is escaped',
      {
        given: (m) => {
          m.triggers.admin = 'Ops & <support>';
        },
        want: (s) => expect(s).toContain('Ops &amp; &lt;support&gt;'),
      },
    ],
  ])('%s', (_name, { given, want }) => {
    const m = model();
    given(m);
    const out = renderLifecycleSvg(m);
    expect(xmlProblems(out)).toEqual([]);
    want(out);
  });

  it('is deterministic', () => {
    expect(renderLifecycleSvg(model())).toBe(svg);
  });
});
