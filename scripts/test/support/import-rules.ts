// What each top-level folder may import, read from the table its README states it in, and every import of the
// repository's code that breaks it: the README says the rule, this enforces it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

/**
 * Which files a row is about (paths relative to the repository, a folder ending in `/`), what they may and must not
 * import.
 */
export interface ImportRule {
  readme: string;
  from: string[];
  may: string[];
  mustNot: string[];
}

export interface Violation {
  file: string;
  imports: string;
  why: string;
}

const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;
/** Never the repository's own code: installed packages, build output, reports. */
const SKIPPED = new Set(['node_modules', 'dist', 'site', 'reports']);
const HEADER = /^\|\s*from\s*\|\s*may import\s*\|\s*must not import\s*\|\s*$/;

/** The backticked paths of a table cell; what it says in parentheses is for the reader. */
const paths = (cell: string) => [...cell.replace(/\([^)]*\)/g, '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** The rules of one README: the rows of its `| from | may import | must not import |` table. */
export function rulesOf(readme: string, text: string): ImportRule[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => HEADER.test(line));
  if (start < 0) return [];
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [from = '', may = '', mustNot = ''] = line.split('|').slice(1, -1);
    rows.push({ readme, from: paths(from), may: paths(may), mustNot: paths(mustNot) });
  }
  return rows;
}

/** The top-level folders of the repository (hidden ones and build output aside). */
export const topFolders = (root: string) =>
  readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIPPED.has(e.name))
    .map((e) => e.name);

/** Every rule stated by a top-level folder's README. */
export function readRules(root: string): ImportRule[] {
  return topFolders(root).flatMap((folder) => {
    const readme = join(folder, 'README.md');
    return existsSync(join(root, readme)) ? rulesOf(readme, readFileSync(join(root, readme), 'utf8')) : [];
  });
}

/** Every code file under a folder, relative to the repository. */
export function codeFiles(root: string, folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && CODE.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((file) => !file.split('/').some((part) => SKIPPED.has(part) || part.startsWith('.')));
}

/** The repository files a module imports, by relative specifier (packages are not the repository's). */
export function importsOf(root: string, file: string, text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((specifier) => specifier.startsWith('./') || specifier.startsWith('../'))
    .map((specifier) => {
      const target = normalize(join(dirname(file), specifier));
      // A `.js` specifier names the `.ts` source (or the generated `.d.ts`) beside it.
      const candidates = [target, target.replace(/\.(m|c)?js$/, '.$1ts'), target.replace(/\.js$/, '.d.ts')];
      return candidates.find((c) => existsSync(join(root, c))) ?? target;
    });
}

const within = (path: string, prefix: string) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix);

/** The most specific rule about a file: the row whose `from` is the longest prefix of it. */
function ruleFor(rules: ImportRule[], file: string): ImportRule | undefined {
  let best: { rule: ImportRule; length: number } | undefined;
  for (const rule of rules)
    for (const from of rule.from)
      if (within(file, from) && (!best || from.length > best.length)) best = { rule, length: from.length };
  return best?.rule;
}

/** What is wrong with one file's imports; a file may always import from its own top-level folder. */
export function violations(rules: ImportRule[], file: string, targets: string[]): Violation[] {
  const rule = ruleFor(rules, file);
  if (!rule) return [{ file, imports: '', why: `no README states what ${file} may import` }];
  const own = `${file.split('/')[0]}/`;
  const out: Violation[] = [];
  for (const target of targets) {
    if (target.startsWith(own)) continue;
    const forbidden = rule.mustNot.find((p) => within(target, p));
    if (forbidden) out.push({ file, imports: target, why: `${rule.readme}: must not import ${forbidden}` });
    else if (!rule.may.some((p) => within(target, p)))
      out.push({
        file,
        imports: target,
        why: `${rule.readme}: may import only ${rule.may.join(', ') || 'its own folder'}`,
      });
  }
  return out;
}
