// Checks the vendor extensions that code reads as facts (README "Vendor extensions"): `x-retry-safe` on every
// operation, the bounds and the error messages (`x-messages`) on `info`, `x-realm` on security schemes (and the realms
// headers show), `x-tolerance-seconds` on signature parameters.
import { HTTP_METHODS as METHODS } from '../../contract/specs.mjs';

/** RFC 9110 §9.2.1: a safe method changes nothing, so repeating it is always harmless. */
const SAFE_METHODS = new Set(['get', 'head', 'options', 'trace']);
/** The bounds an API's `info` may state for machines, and the names each must give. */
const INFO_BOUNDS = {
  'x-request-limits': ['bodyBytes', 'depth', 'members', 'containers'],
  'x-sandbox-bounds': ['tokensPerClient', 'webhookLogBodyBytes', 'waitingDeliveries'],
};

/** Every header object the document writes out: the shared ones, and those of its responses (shared or inline). */
function headersOf(bundled) {
  const named = (where, headers) => Object.entries(headers ?? {}).map(([name, header]) => [`${where}.${name}`, header]);
  const ofResponses = (where, responses) =>
    Object.entries(responses ?? {}).flatMap(([status, response]) =>
      named(`${where}.${status}.headers`, response?.headers),
    );
  return [
    ...named('components.headers', bundled.components?.headers),
    ...ofResponses('components.responses', bundled.components?.responses),
    ...Object.entries(bundled.paths ?? {}).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).flatMap((m) => ofResponses(`paths.${path}.${m}.responses`, item[m].responses)),
    ),
  ].filter(([, header]) => header && !header.$ref);
}

/** Every parameter object the document writes out: the shared ones, and those of its operations and webhooks. */
function parametersOf(bundled) {
  const ofItems = (where, items) =>
    Object.entries(items ?? {}).flatMap(([key, item]) =>
      [['', item], ...METHODS.filter((m) => item?.[m]).map((m) => [`.${m}`, item[m]])].flatMap(([at, holder]) =>
        (holder?.parameters ?? []).map((p, i) => [`${where}.${key}${at}.parameters.${i}`, p]),
      ),
    );
  return [
    ...Object.entries(bundled.components?.parameters ?? {}).map(([name, p]) => [`components.parameters.${name}`, p]),
    ...ofItems('paths', bundled.paths),
    ...ofItems('webhooks', bundled.webhooks),
  ].filter(([, p]) => p && !p.$ref);
}

/** @param {object} bundled a bundled OpenAPI document */
export function checkExtensions(bundled) {
  const problems = [];
  for (const [path, item] of Object.entries(bundled.paths ?? {}))
    for (const method of METHODS.filter((m) => item[m])) {
      const where = `paths.${path}.${method}`;
      const value = item[method]['x-retry-safe'];
      if (typeof value !== 'boolean')
        problems.push(`${where}: x-retry-safe must be true or false (may a client repeat it after a 429 or 503?)`);
      else if (!value && SAFE_METHODS.has(method))
        problems.push(`${where}: x-retry-safe is false on a safe method, which is always safe to repeat`);
    }
  for (const [extension, names] of Object.entries(INFO_BOUNDS)) {
    const bounds = bundled.info?.[extension];
    if (bounds === undefined) continue;
    const keys = bounds && typeof bounds === 'object' ? Object.keys(bounds) : [];
    const wrong = keys.filter((k) => !names.includes(k) || !Number.isSafeInteger(bounds[k]) || bounds[k] < 1);
    if (wrong.length || names.some((k) => !keys.includes(k)))
      problems.push(`info.${extension}: must give exactly ${names.join(', ')}, each a positive integer`);
  }
  const realms = new Set();
  for (const [name, scheme] of Object.entries(bundled.components?.securitySchemes ?? {})) {
    const realm = scheme['x-realm'];
    if (realm === undefined) continue;
    if (typeof realm !== 'string' || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(realm))
      problems.push(`components.securitySchemes.${name}.x-realm: one realm name, printable, without quotes or spaces`);
    else realms.add(realm);
  }
  // A challenge the spec shows names a realm its schemes state, so the examples cannot drift from what servers send.
  for (const [where, header] of headersOf(bundled))
    for (const [, shown] of `${header.example ?? ''} ${header.description ?? ''}`.matchAll(/realm="([^"]*)"/g))
      if (!realms.has(shown)) problems.push(`${where}: realm="${shown}" is not the x-realm of any security scheme`);
  // The generated facts read a tolerance from the shared parameters only; one written elsewhere would be read by no one.
  for (const [where, parameter] of parametersOf(bundled)) {
    const tolerance = parameter['x-tolerance-seconds'];
    if (tolerance === undefined) continue;
    if (!where.startsWith('components.parameters.'))
      problems.push(`${where}: x-tolerance-seconds belongs on a parameter of components.parameters`);
    else if (parameter.in !== 'header' || !Number.isSafeInteger(tolerance) || tolerance < 1)
      problems.push(`${where}.x-tolerance-seconds: a positive whole number of seconds, on a header parameter`);
  }
  const messages = bundled.info?.['x-messages'];
  if (messages !== undefined) {
    const entries =
      messages && typeof messages === 'object' && !Array.isArray(messages) ? Object.entries(messages) : [];
    if (!entries.length) problems.push('info.x-messages: must map message names to sentences');
    for (const [name, text] of entries)
      if (
        !/^[a-z][A-Za-z0-9]*$/.test(name) ||
        typeof text !== 'string' ||
        !/^\S.*[.!?]$/.test(text) ||
        /\{(?![a-z_]+\})/.test(text)
      )
        problems.push(`info.x-messages.${name}: a camelCase name for one sentence, its placeholders {lower_case}`);
  }
  return problems;
}
