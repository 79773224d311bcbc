// The shared HTML shell of the docs site's own pages: one stylesheet, one navigation, relative links only.

export const css = `
:root { --fg: #1d2433; --muted: #5b6478; --line: #dde2ec; --accent: #0b5fff; --bg-soft: #f5f7fb; --code: #f0f2f7; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); }
a { color: var(--accent); }
.layout { display: grid; grid-template-columns: 260px minmax(0, 1fr); min-height: 100vh; }
nav.site { background: var(--bg-soft); border-right: 1px solid var(--line); padding: 20px 16px; font-size: 14px; }
nav.site .brand { display: block; font-weight: 700; font-size: 17px; color: var(--fg); text-decoration: none; margin-bottom: 16px; }
nav.site h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 18px 0 6px; }
nav.site ul { list-style: none; margin: 0; padding: 0; }
nav.site li a { display: block; padding: 3px 8px; border-radius: 4px; text-decoration: none; color: var(--fg); }
nav.site li a:hover { background: #e8ecf5; }
nav.site li a[aria-current="page"] { background: #dfe7ff; color: var(--accent); font-weight: 600; }
main { padding: 28px 48px 64px; max-width: 980px; }
main h1 { margin-top: 0; font-size: 30px; }
main h2 { margin-top: 36px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
code { font: 13.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--code); padding: 1px 4px; border-radius: 3px; }
pre { background: #161b26; color: #e8ecf5; padding: 14px 16px; border-radius: 6px; overflow-x: auto; }
pre code { background: none; padding: 0; color: inherit; }
table { border-collapse: collapse; margin: 12px 0 20px; font-size: 14.5px; width: 100%; }
main { overflow-wrap: anywhere; }
.phone-bar { display: none; }
th, td { border: 1px solid var(--line); padding: 6px 10px; text-align: left; vertical-align: top; }
th { background: var(--bg-soft); }
blockquote { margin: 12px 0; padding: 4px 16px; border-left: 4px solid var(--accent); background: var(--bg-soft); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: 16px; margin: 16px 0 28px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
.card h3 { margin: 0 0 6px; font-size: 17px; }
.card p { margin: 6px 0; color: var(--muted); font-size: 14.5px; }
.note { border: 1px solid #f0d58c; background: #fff8e1; padding: 10px 14px; border-radius: 6px; }
.diagram { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; padding: 12px; background: #fff; }
.diagram svg { max-width: 100%; height: auto; }
main img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
/* A phone: the page first, the site's contents after it (a bar on top links there); wide tables scroll inside the page. */
@media (max-width: 800px) {
  .layout { grid-template-columns: minmax(0, 1fr); }
  main { padding: 16px 18px 40px; }
  nav.site { order: 2; border-right: 0; border-top: 1px solid var(--line); }
  .phone-bar { display: flex; justify-content: space-between; align-items: center; padding: 10px 18px; background: var(--bg-soft); border-bottom: 1px solid var(--line); font-size: 15px; }
  .phone-bar .brand { font-weight: 700; color: var(--fg); text-decoration: none; }
  table { display: block; overflow-x: auto; }
  main h1 { font-size: 26px; }
}
`;

export const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/**
 * @param {{ title: string, body: string, path: string, nav: { section: string, items: { title: string, path: string }[] }[] }} page
 *   `path` and every nav `path` are site-relative (e.g. `guides/errors.html`); links are made relative to the page.
 */
export function renderPage({ title, body, path, nav }) {
  const up = '../'.repeat(path.split('/').length - 1);
  const link = (target) => `${up}${target}`;
  const sections = nav
    .map(
      ({ section, items }) =>
        `<h2>${escapeHtml(section)}</h2><ul>${items
          .map(
            (item) =>
              `<li><a href="${link(item.path)}"${item.path === path ? ' aria-current="page"' : ''}>${escapeHtml(item.title)}</a></li>`,
          )
          .join('')}</ul>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Starmile contracts</title>
<link rel="stylesheet" href="${link('assets/site.css')}">
</head>
<body>
<div class="phone-bar"><a class="brand" href="${link('index.html')}">Starmile contracts</a><a href="#site-contents">Contents</a></div>
<div class="layout">
<nav class="site" id="site-contents" aria-label="Site">
<a class="brand" href="${link('index.html')}">Starmile contracts</a>
${sections}
</nav>
<main>
${body}
</main>
</div>
</body>
</html>
`;
}

/** The bar put above each Redoc page, so a reader can get back to the rest of the site. */
export function referenceBar({ title, version }) {
  return `<div id="sm-site-bar" style="display:flex;flex-wrap:wrap;gap:4px 18px;align-items:center;padding:8px 20px;background:#161b26;color:#e8ecf5;font:14px system-ui,sans-serif">
<a href="../index.html" style="color:#fff;font-weight:700;text-decoration:none">Starmile contracts</a>
<span>${escapeHtml(title)} <code style="background:#2a3142;padding:1px 5px;border-radius:3px">${escapeHtml(version)}</code></span>
<a href="../guides/quick-start.html" style="color:#9dbaff">Quick start</a>
</div>`;
}
