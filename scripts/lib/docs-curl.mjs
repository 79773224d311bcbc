// Reads the curl commands of a document (a seed, a guide, the README, a code sample) as requests, so tests can
// replay exactly what readers copy.

/**
 * @typedef {{ method: string, url: string, headers: Record<string, string>, body?: string,
 *   assign?: { name: string, property: string }, offset: number }} Curl
 *   `assign`: the command is `NAME=$(curl ... | node -pe '...<property>')`, storing one property of the answer in a
 *   shell variable that later commands use as `$NAME`. `offset`: where the command starts in the text.
 */

/**
 * Splits one command the way a POSIX shell would for these examples: single quotes, double quotes (kept as
 * written, `$NAME` included), backslash-newline. Stops at the end of the line, or at an unquoted `|` or `)`.
 * @returns {{ tokens: string[], end: number }}
 */
function tokenize(text, start) {
  const tokens = [];
  let token = null;
  let j = start;
  while (j < text.length) {
    const c = text[j];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, j + 1);
      if (end < 0) throw new Error(`unterminated quote in the curl at offset ${start}`);
      token = (token ?? '') + text.slice(j + 1, end);
      j = end + 1;
    } else if (c === '\\' && text[j + 1] === '\n') {
      if (token !== null) tokens.push(token);
      token = null;
      j += 2;
    } else if (c === '\n' || c === '|' || c === ')') {
      break;
    } else if (c === ' ' || c === '\t') {
      if (token !== null) tokens.push(token);
      token = null;
      j++;
    } else {
      token = (token ?? '') + c;
      j++;
    }
  }
  if (token !== null) tokens.push(token);
  return { tokens, end: j };
}

/** @returns {Curl[]} every command starting a line with `curl ` (or `NAME=$(curl `), in document order */
export function parseCurls(text) {
  return [...text.matchAll(/^[ \t]*(?:([A-Z_][A-Z0-9_]*)=\$\()?curl /gm)].map((m) => {
    const offset = m.index + m[0].indexOf('curl');
    const { tokens, end } = tokenize(text, offset);
    /** @type {Curl} */
    const curl = { method: '', url: '', headers: {}, offset };
    const data = [];
    for (let k = 1; k < tokens.length; k++) {
      const t = tokens[k];
      if (t === '-X') curl.method = tokens[++k];
      else if (t === '-H') {
        const [name, ...value] = tokens[++k].split(':');
        curl.headers[name.trim().toLowerCase()] = value.join(':').trim();
      } else if (t === '-d' || t === '--data') data.push(tokens[++k]);
      else if (t === '--data-urlencode') {
        // curl encodes the part after the first '=' (name=value) and sends the name as written.
        const [name, ...value] = tokens[++k].split('=');
        data.push(`${name}=${encodeURIComponent(value.join('='))}`);
      } else if (t === '-u') curl.headers.authorization = `Basic ${Buffer.from(tokens[++k]).toString('base64')}`;
      else if (t === '-i' || t === '-s') continue;
      else if (/^https?:\/\//.test(t)) curl.url = t;
      else throw new Error(`a curl option this reader does not know: ${t}`);
    }
    if (m[1]) {
      // `| node -pe '<read stdin as JSON>.<property>')`: the variable holds that property of the answer.
      const pipeline = text.slice(end, text.indexOf('\n', end) < 0 ? undefined : text.indexOf('\n', end));
      const property = pipeline.match(/\.(\w+)['"]?\)\s*$/)?.[1];
      if (!pipeline.startsWith('|') || !property)
        throw new Error(`${m[1]}=$(curl ...) must end with a pipeline reading one property: ${pipeline}`);
      curl.assign = { name: m[1], property };
    }
    // curl's own rules: several -d are joined with &, and a body without a Content-Type is sent form-encoded by POST.
    if (data.length) {
      curl.body = data.join('&');
      curl.headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    curl.method ||= data.length ? 'POST' : 'GET';
    return curl;
  });
}
