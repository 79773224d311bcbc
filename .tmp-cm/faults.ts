import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import ts from 'typescript';
const root = '/work/wt-i11/conformance/';
const src = readFileSync(root + 'test/support/faults.ts', 'utf8');
const sf = ts.createSourceFile('faults.ts', src, ts.ScriptTarget.Latest, true);
const faults = new Map<string, string>();
const sharper = new Map<string, string[]>();
const renames: Record<string, string> = { TOKEN: 'at.token', CREATE: 'at.createOrder', GET_ORDER: 'at.getOrder', PATCH: 'at.updateParcel', CANCEL: 'at.cancelOrder', CHANGES: 'at.listChanges', EVENTS: 'at.reportEvent', SERVICES: 'at.listServices', RATES: 'at.listRates', SS_CREATE: 'at.shipCreate', SS_GET: 'at.shipGet', SS_READ: 'at.shipRead', SS_WEBHOOKS: 'at.shipWebhooks', SS_SETTLE: 'at.shipSettle', SS_CANCEL: 'at.shipCancel' };
function rewrite(node: ts.Node): string {
  // Rename matcher identifiers (not property names) in the text of node.
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isIdentifier(n) && renames[n.text] && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !(ts.isPropertyAssignment(n.parent) && n.parent.name === n)) edits.push({ start: n.getStart(sf), end: n.getEnd(), text: renames[n.text]! });
    ts.forEachChild(n, visit);
  };
  visit(node);
  let text = src.slice(node.getStart(sf), node.getEnd());
  const base = node.getStart(sf);
  for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start - base) + e.text + text.slice(e.end - base);
  text = text.replace(/ignoresTenant\(([^,]+), (OTHER(?:_WAREHOUSE)?\.client_id)\)/g, 'ignoresTenant($1, () => $2)');
  return text;
}
const comments = (n: ts.Node) => (ts.getLeadingCommentRanges(src, n.getFullStart()) ?? []).map((r) => src.slice(r.pos, r.end)).join('\n');
ts.forEachChild(sf, function visit(n) {
  if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === 'faults' && n.initializer && ts.isObjectLiteralExpression(n.initializer)) {
    for (const prop of n.initializer.properties) {
      if (ts.isPropertyAssignment(prop) && ts.isStringLiteral(prop.name)) {
        const c = comments(prop);
        faults.set(prop.name.text, `${c ? `${c.trim()}\n` : ''}fault: ${rewrite(prop.initializer)},`);
      }
    }
  }
  if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === 'sharperFaults' && n.initializer && ts.isArrayLiteralExpression(n.initializer)) {
    for (const el of n.initializer.elements) {
      if (!ts.isObjectLiteralExpression(el)) continue;
      const ruleProp = el.properties.find((p) => ts.isPropertyAssignment(p) && (p.name as ts.Identifier).text === 'rule') as ts.PropertyAssignment;
      const id = (ruleProp.initializer as ts.StringLiteral).text;
      const rest = el.properties.filter((p) => p !== ruleProp).map((p) => rewrite(p)).join(',\n');
      sharper.set(id, [...(sharper.get(id) ?? []), `{\n${rest},\n}`]);
    }
  }
  ts.forEachChild(n, visit);
});
const kitExports = ['json', 'request', 'response', 'answer', 'ignoresScope', 'ignoresTenant', 'fresh', 'currentParcel', 'currentOrder', 'remember', 'seen', 'noUniqueAcross', 'noUniqueWithin', 'shipOrders', 'heldBack', 'shipWebhooks', 'mapEntries', 'mapPage', 'all', 'is', 'at', 'fx', 'FULL', 'OTHER', 'OTHER_WAREHOUSE', 'HOME', 'PUDO_POINT', 'MAPPED', 'SHIP'];
const indent = (text: string, n: number) => text.split('\n').map((l, i) => (i === 0 || !l ? l : ' '.repeat(n) + l)).join('\n');
const done = new Set<string>();
for (const api of ['starmile-partner', 'starship-rewards']) {
  for (const f of readdirSync(root + 'rules/' + api)) {
    const file = root + 'rules/' + api + '/' + f;
    let text = readFileSync(file, 'utf8');
    if (!/\brule\(\{/.test(text)) continue;
    const used = new Set<string>();
    text = text.replace(/rule\(\{\n  id: '([A-Z0-9-]+)',([\s\S]*?)\n  check: /g, (m, id: string, middle: string) => {
      const fault = faults.get(id);
      if (!fault) return m;
      done.add(id);
      const more = sharper.get(id);
      const inserted = `  ${indent(fault, 2)}${more ? `\n  moreFaults: [\n    ${more.map((x) => indent(x, 4)).join(',\n    ')},\n  ],` : ''}`;
      for (const name of kitExports) if (new RegExp(`\\b${name}\\b`).test(inserted.replace(/'[^']*'|`[^`]*`|"[^"]*"/g, ''))) used.add(name);
      return `rule({\n  id: '${id}',${middle}\n${inserted}\n  check: `;
    });
    if (used.size) {
      const names = [...used].sort((a, b) => a.localeCompare(b));
      const line = `import { ${names.join(', ')} } from '../../src/fault-kit.ts';\n`;
      const i = text.indexOf("from './meta.ts';\n") + "from './meta.ts';\n".length;
      text = text.slice(0, i) + line + text.slice(i);
    }
    writeFileSync(file, text);
  }
}
console.log('missing', [...faults.keys()].filter((id) => !done.has(id)));
