// Reads the curl commands of a document (a seed, a guide) as requests, so tests can replay exactly what readers copy.

/**
 * @typedef {{ method: string, url: string, headers: Record<string, string>, body?: string }} Curl
 */

/** Splits one command line the way a POSIX shell would for these examples: single quotes, backslash-newline. */
function tokenize(text, start) {
  const tokens = [];
  let token = null;
  let j = start;
  while (j < text.length) {
    const c = text[j];
    if (c === "'") {
      const end = text.indexOf("'", j + 1);
      if (end < 0) throw new Error(`unterminated quote in the curl at offset ${start}`);
      token = (token ?? '') + text.slice(j + 1, end);
      j = end + 1;
    } else if (c === '\\' && text[j + 1] === '\n') {
      if (token !== null) tokens.push(token), (token = null);
      j += 2;
    } else if (c === '\n') {
      break;
    } else if (c === ' ' || c === '\t') {
      if (token !== null) tokens.push(token), (token = null);
      j++;
    } else {
      token = (token ?? '') + c;
      j++;
    }
  }
  if (token !== null) tokens.push(token);
  return tokens;
}

/** @returns {Curl[]} every command starting a line with `curl `, in document order */
export function parseCurls(text) {
  return [...text.matchAll(/^[ \t]*curl /gm)].map((m) => {
    const tokens = tokenize(text, m.index + m[0].indexOf('curl'));
    /** @type {Curl} */
    const curl = { method: '', url: '', headers: {} };
    const data = [];
    for (let k = 1; k < tokens.length; k++) {
      const t = tokens[k];
      if (t === '-X') curl.method = tokens[++k];
      else if (t === '-H') {
        const [name, ...value] = tokens[++k].split(':');
        curl.headers[name.trim().toLowerCase()] = value.join(':').trim();
      } else if (t === '-d' || t === '--data') data.push(tokens[++k]);
      else if (t === '-u') curl.headers.authorization = `Basic ${Buffer.from(tokens[++k]).toString('base64')}`;
      else if (t === '-i' || t === '-s') continue;
      else if (/^https?:\/\//.test(t)) curl.url = t;
      else throw new Error(`a curl option this reader does not know: ${t}`);
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
