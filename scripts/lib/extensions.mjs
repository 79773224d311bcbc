// Checks the vendor extensions that code reads as facts (README "Vendor extensions"): `x-retry-safe` on every operation, `x-request-limits` on `info`.

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** RFC 9110 §9.2.1: a safe method changes nothing, so repeating it is always harmless. */
const SAFE_METHODS = new Set(['get', 'head', 'options', 'trace']);
const LIMIT_KEYS = ['bodyBytes', 'depth', 'members', 'containers'];

/** @param {object} bundled a bundled OpenAPI document */
export function checkExtensions(bundled) {
  const problems = [];
  for (const [path, item] of Object.entries(bundled.paths ?? {}))
    for (const method of METHODS.filter((m) => item[m])) {
      const where = `paths.${path}.${method}`;
      const value = item[method]['x-retry-safe'];
      if (typeof value !== 'boolean') problems.push(`${where}: x-retry-safe must be true or false (may a client repeat it after a 429 or 503?)`);
      else if (!value && SAFE_METHODS.has(method)) problems.push(`${where}: x-retry-safe is false on a safe method, which is always safe to repeat`);
    }
  const limits = bundled.info?.['x-request-limits'];
  if (limits !== undefined) {
    const keys = limits && typeof limits === 'object' ? Object.keys(limits) : [];
    const wrong = keys.filter((k) => !LIMIT_KEYS.includes(k) || !Number.isSafeInteger(limits[k]) || limits[k] < 1);
    if (!keys.length || wrong.length || LIMIT_KEYS.some((k) => !keys.includes(k)))
      problems.push(`x-request-limits: must give exactly ${LIMIT_KEYS.join(', ')}, each a positive integer`);
  }
  return problems;
}
