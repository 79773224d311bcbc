// The guide "Handling the order lifecycle" cannot drift from the model and the helpers: its decoder table, its status table and its imports are checked.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as starship from '../../client/src/starship.ts';
import { loadSpec } from '../lib/contract.ts';

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
  it.each(starship.lifecycle.sub_statuses.map((s) => [s.name, s] as const))('decodes %s as the model does', (name, s) => {
    const row = table.get(name);
    expect(row, `no row for ${name}`).toBeDefined();
    expect(row![2]).toContain(s.typical_primaries.join(' / '));
    expect(row![3]).toBe(s.meaning);
    expect(row![4]).toBe(s.action);
  });

  it.each(starship.lifecycle.statuses.map((s) => [s.name, s] as const))('describes %s with its terminal flag', (name, s) => {
    const row = table.get(name);
    expect(row, `no row for ${name}`).toBeDefined();
    expect(row![3]!.startsWith(s.terminal ? 'yes' : 'no')).toBe(true);
  });

  it('imports only what the helpers export', () => {
    const imported = [...guide.matchAll(/import \{([^}]*)\} from '@starmile\/partner-client\/starship'/g)].flatMap((m) => m[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, '')));
    expect(imported.length).toBeGreaterThan(5);
    const exported = readFileSync(new URL('../../client/src/starship.ts', import.meta.url), 'utf8');
    for (const name of imported) expect(exported, name).toMatch(new RegExp(`export (const|function|type|interface) ${name}\\b`));
  });

  it('embeds the diagram and the spec examples it talks about', () => {
    expect(guide).toContain('<!-- include: lifecycle-diagram -->');
    const names = [...guide.matchAll(/<!-- include: example starship-rewards (\w+) -->/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const name of names) expect(Object.keys(loadSpec('starship-rewards').components.examples)).toContain(name);
  });
});
