// Prism answers a request without `Prefer` with the lowest 2xx code an operation documents; for reportEvent that
// is 200 (`duplicate: true`), not the ordinary 202. An operation with several successes names its ordinary one in
// `x-default-status`; `npm run mock` puts this small proxy in front of Prism, which sends a request without a
// `Prefer` header (or `__code` query) on with `Prefer: code=<that status>`. Everything else passes through untouched.

import { createServer, request } from 'node:http';
import { HTTP_METHODS as METHODS } from '../../contract/specs.mjs';

/**
 * @returns {{ method: string, pattern: RegExp, code: string, operationId: string }[]} the operations Prism would answer
 * otherwise
 */
export function defaultCodes(spec) {
  const rules = [];
  for (const [template, item] of Object.entries(spec.paths ?? {}))
    for (const method of METHODS) {
      const op = item[method];
      const success = Object.keys(op?.responses ?? {})
        .filter((code) => /^2\d\d$/.test(code))
        .sort();
      if (success.length < 2) continue;
      const code = op['x-default-status'];
      if (!success.includes(code))
        throw new Error(
          `${op.operationId} documents ${success.join(', ')}: x-default-status must name its ordinary one`,
        );
      if (code === success[0]) continue;
      const pattern = new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
      );
      rules.push({ method: method.toUpperCase(), pattern, code, operationId: op.operationId });
    }
  return rules;
}

/**
 * Listens on `host:port` and forwards every request to `upstream` (Prism), adding the default `Prefer` where a rule
 * applies. Resolves with the listening server.
 */
export function startDefaultsProxy({ upstream, host, port, rules }) {
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', upstream);
    const headers = { ...req.headers, host: target.host };
    const forced =
      req.headers.prefer !== undefined || url.searchParams.has('__code') || url.searchParams.has('__example');
    const rule = forced ? undefined : rules.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    if (rule) headers.prefer = `code=${rule.code}`;
    const upstreamReq = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `The mock could not reach Prism: ${error.message}` }));
    });
    req.pipe(upstreamReq);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
