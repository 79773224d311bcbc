// Turns a recorded exchange into a curl command that reproduces it, every secret replaced by a shell variable.
import type { Exchange } from '../http.ts';
import { secrets } from '../secrets.ts';

/** `$NAME` as a whole word, so `$TOKEN` never matches inside `$TOKEN_X`. */
const placeholder = (name: string) => new RegExp(`\\$${name}(?![A-Za-z0-9_])`);

const SKIPPED_HEADERS = new Set(['content-length', 'host', 'connection']);

/** Single-quoted unless it holds a secret placeholder, which must stay a live `$VAR` inside double quotes. */
function quote(arg: string): string {
  const names = secrets.names().filter((n) => placeholder(n).test(arg));
  if (!names.length) return `'${arg.replace(/'/g, `'\\''`)}'`;
  let escaped = arg.replace(/[\\"`$]/g, (c) => `\\${c}`);
  for (const n of names) escaped = escaped.replace(new RegExp(`\\\\\\$${n}(?![A-Za-z0-9_])`, 'g'), `\${${n}}`);
  return `"${escaped}"`;
}

/** The shell lines that reproduce an exchange: how to get each token it uses, then the curl command. */
export function curlOf(exchange: Exchange, tokenRecipes: Record<string, string>): string {
  const lines: string[] = [];
  const masked = (s: string) => secrets.mask(s);
  const parts = [`curl -i -X ${exchange.method} ${quote(masked(exchange.url))}`];
  for (const [k, v] of Object.entries(exchange.requestHeaders))
    if (!SKIPPED_HEADERS.has(k.toLowerCase())) parts.push(`-H ${quote(masked(`${k}: ${v}`))}`);
  if (exchange.requestBody !== undefined) parts.push(`--data-raw ${quote(masked(exchange.requestBody))}`);
  const command = parts.join(' \\\n  ');
  const uses = (text: string, name: string) => placeholder(name).test(text) || text.includes(`\${${name}}`);
  for (const [name, recipe] of Object.entries(tokenRecipes)) if (uses(command, name)) lines.push(secrets.mask(recipe));
  const needed = secrets
    .names()
    .filter((n) => !n.startsWith('STARMILE_TOKEN') && [...lines, command].some((l) => uses(l, n)));
  if (needed.length)
    lines.unshift(`# needs: ${needed.map((n) => `$${n}`).join(', ')} (the secrets named in your profile)`);
  return [...lines, command].join('\n');
}
