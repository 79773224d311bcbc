import { readFileSync } from 'node:fs';
const refs = readFileSync('/tmp/i12exp/refs.txt', 'utf8').trim().split('\n');
const c0 = process.cpuUsage();
const { validatorAt, loadSpec } = await import('./lib/contract.ts');
const c1 = process.cpuUsage(c0);
for (const api of ['starmile-partner', 'starship-rewards', 'sandbox-admin'] as const) loadSpec(api);
const c2 = process.cpuUsage(c0);
const per: [string, number][] = [];
for (const r of refs) {
  const [api, ptr] = r.split('#/');
  const segs = ptr!.split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const a = process.cpuUsage();
  validatorAt(api as any, ...segs);
  const d = process.cpuUsage(a);
  per.push([r, (d.user + d.system) / 1000]);
}
const c3 = process.cpuUsage(c0);
const ms = (c: NodeJS.CpuUsage) => ((c.user + c.system) / 1000).toFixed(0);
console.log('import', ms(c1), 'specs', ms(c2), 'compile all', ms(c3));
per.sort((a, b) => b[1] - a[1]).slice(0, 10).forEach(([r, t]) => console.log(t.toFixed(0), r));
