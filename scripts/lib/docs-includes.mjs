// Expands the `<!-- include: ... -->` directives of the guides from the bundled specs and project files,
// so tables of scopes, errors and examples in the docs cannot drift from the contract.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { loadSpec } from '../../contract/specs.mjs';
import { repoRoot } from './apis.mjs';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** The bundled spec of an API, from generated/ (what the site documents is what was built). */
export const bundledSpec = loadSpec;

/** @returns {{ path: string, method: string, op: any }[]} every operation of a spec, in document order */
export function operations(spec) {
  return Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path, method, op })),
  );
}

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function scopesTable(spec) {
  const rows = operations(spec).map(({ path, method, op }) => {
    const requirements = op.security ?? spec.security ?? [];
    const scopes = requirements.flatMap((r) =>
      Object.entries(r).flatMap(([scheme, list]) =>
        list.length ? list : [scheme === 'oauth2' ? 'any token' : `${scheme}`],
      ),
    );
    const anonymous = requirements.some((r) => Object.keys(r).length === 0);
    const needs = anonymous
      ? `none (client credentials in the body${scopes.length ? `, or HTTP Basic` : ''})`
      : scopes.map((s) => `\`${s}\``).join(' or ');
    return `| \`${op.operationId}\` | \`${method.toUpperCase()} ${path}\` | ${needs} |`;
  });
  return ['| operation | request | needs |', '|---|---|---|', ...rows].join('\n');
}

function errorsTable(spec) {
  const byStatus = new Map();
  for (const { op } of operations(spec))
    for (const status of Object.keys(op.responses ?? {}).filter((s) => /^4\d\d$/.test(s)))
      (byStatus.get(status) ?? byStatus.set(status, []).get(status)).push(`\`${op.operationId}\``);
  const rows = [...byStatus.entries()]
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, ops]) => `| ${status} | ${ops.join(', ')} |`);
  return ['| status | operations that document it |', '|---|---|', ...rows].join('\n');
}

function example(spec, name) {
  const value = spec.components?.examples?.[name]?.value;
  if (value === undefined) throw new Error(`docs: no example ${name} in the spec`);
  return `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;
}

/** The Prism baseline of the conformance suite: each rule the stateless mock cannot satisfy, and why. */
function prismBaseline() {
  const file = join(repoRoot, 'conformance', 'baselines', 'prism.json');
  if (!existsSync(file))
    return '<div class="note">No Prism baseline yet: <code>conformance/baselines/prism.json</code> is written when the conformance suite is first run against the mock.</div>';
  const baseline = JSON.parse(readFileSync(file, 'utf8'));
  const entries = baseline.entries ?? [];
  return [
    `The suite run against \`${cell(baseline.target ?? 'the Prism mock')}\` fails ${entries.length} rule${entries.length === 1 ? '' : 's'}; each is listed with the reason.`,
    '',
    '| rule | why the mock cannot pass it |',
    '|---|---|',
    ...entries.map((e) => `| \`${cell(e.rule)}\` | ${cell(e.reason)} |`),
  ].join('\n');
}

/** The Starship lifecycle diagram, drawn from its model by the Starship helper's renderer when both exist. */
async function lifecycleDiagram() {
  const renderer = join(repoRoot, 'scripts', 'lib', 'lifecycle-diagram.mjs');
  const model = join(repoRoot, 'openapi', 'starship-rewards', 'lifecycle.yaml');
  if (!existsSync(renderer) || !existsSync(model)) return '';
  const { renderLifecycleSvg } = await import(pathToFileURL(renderer).href);
  return `<figure class="diagram">${renderLifecycleSvg(parseYaml(readFileSync(model, 'utf8')))}</figure>`;
}

/**
 * Replaces each directive by Markdown, or by a placeholder for raw HTML that Markdown must not touch.
 * @returns {Promise<{ markdown: string, html: string[] }>}
 */
export async function expandIncludes(markdown, source) {
  const html = [];
  const raw = (text) => {
    html.push(text);
    return `\n\n<!--html:${html.length - 1}-->\n\n`;
  };
  const parts = [];
  let last = 0;
  for (const match of markdown.matchAll(/<!--\s*include:\s*([^>]*?)\s*-->/g)) {
    const [kind, ...args] = match[1].split(/\s+/);
    let out;
    if (kind === 'example') out = example(bundledSpec(args[0]), args[1]);
    else if (kind === 'scopes') out = scopesTable(bundledSpec(args[0]));
    else if (kind === 'errors') out = errorsTable(bundledSpec(args[0]));
    else if (kind === 'prism-baseline') out = prismBaseline();
    else if (kind === 'lifecycle-diagram') out = raw(await lifecycleDiagram());
    else throw new Error(`docs: unknown include "${match[1]}" in ${source}`);
    parts.push(markdown.slice(last, match.index), out);
    last = match.index + match[0].length;
  }
  parts.push(markdown.slice(last));
  return { markdown: parts.join(''), html };
}
