// The HTML report's style and its one script (the filters), inlined into the page so it opens offline as one file.

export const CSS = `
:root{--pass:#137333;--fail:#b3261e;--blocked:#7b1fa2;--nv:#8a6d00;--known:#0b57d0;--line:#dde1e6;--muted:#5f6368;--bg:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1a1a1a;background:#fff}
main{max-width:78rem;margin:0 auto;padding:1.5rem 1rem 4rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .6rem}h3{font-size:1rem;margin:0}
a{color:#0b57d0}code,pre{font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.meta{color:var(--muted);margin:0 0 1rem;overflow-wrap:anywhere}
main p,summary,.warning{overflow-wrap:anywhere}.meta code{color:#1a1a1a}
.banner{border-radius:8px;padding:.8rem 1rem;margin:1rem 0;font-size:1.05rem;border:1px solid}
.banner.ok{background:#e6f4ea;border-color:#a8dab5}.banner.notok{background:#fce8e6;border-color:#f4b8b2}
.banner strong{font-size:1.2rem;margin-right:.5rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:1rem;margin:1rem 0}
.card{border:1px solid var(--line);border-radius:8px;padding:.9rem 1rem}.card.deciding{border:2px solid #1a1a1a}
.card h2{margin:0 0 .3rem;font-size:1rem;display:flex;justify-content:space-between;gap:.5rem}
.card .big{font-size:1.9rem;font-weight:650;line-height:1.2}.card p{margin:.3rem 0 0;color:var(--muted)}
.tag{display:inline-block;font-size:11px;font-weight:600;padding:.05rem .45rem;border-radius:99px;background:var(--bg);border:1px solid var(--line);color:var(--muted);white-space:nowrap}
.pass{color:var(--pass)}.fail{color:var(--fail);font-weight:600}.blocked{color:var(--blocked)}.notverified{color:var(--nv)}.knownfailure{color:var(--known)}
.warning{background:#fef7e0;border:1px solid #f6dc8d;border-radius:8px;padding:.6rem 1rem;margin:.5rem 0}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);background:#fff}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.failing td:first-child{box-shadow:inset 3px 0 var(--fail)}
.tagsum{display:grid;grid-template-columns:repeat(auto-fill,minmax(12.5rem,1fr));gap:.5rem}
.tagchip{font:inherit;text-align:left;cursor:pointer;border:1px solid var(--line);border-radius:8px;background:#fff;padding:.45rem .6rem;display:grid;gap:.2rem}
.tagchip:hover{border-color:#0b57d0}.tagchip.failing{border-color:#f4b8b2;background:#fffafa}
.tagchip .name{font-weight:600}.tagchip .nums{font-size:12px;color:var(--muted)}
.bar{display:flex;height:5px;border-radius:3px;overflow:hidden;background:var(--line)}.bar i{display:block}
.bar .pass{background:var(--pass)}.bar .fail{background:var(--fail)}.bar .blocked{background:var(--blocked)}.bar .notverified{background:#e0b400}.bar .knownfailure{background:var(--known)}
.warning ul{margin:.3rem 0 0;padding-left:1.2rem}
.filters{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line);padding:.6rem 0;display:flex;flex-wrap:wrap;gap:.6rem 1.2rem;align-items:center}
.filters label{display:flex;gap:.35rem;align-items:center}.filters select{font:inherit;padding:.15rem .3rem}
.filters .count{color:var(--muted);margin-left:auto}
.rules td:nth-child(1){white-space:nowrap}.rules small{color:var(--muted)}
.failure-rule{border:1px solid var(--line);border-radius:8px;padding:.9rem 1rem;margin:1rem 0;scroll-margin-top:4rem}
.failure-rule:target{outline:3px solid #f4b8b2}
.failure-rule .head{display:flex;flex-wrap:wrap;gap:.4rem .8rem;align-items:baseline}
blockquote{margin:.5rem 0;padding:.3rem .8rem;border-left:3px solid var(--line);color:#3c4043;overflow-wrap:anywhere}
.designed{margin:.5rem 0;color:#3c4043;overflow-wrap:anywhere}
details.failure{border-top:1px solid var(--line);padding:.5rem 0}
details.failure>summary{cursor:pointer;font-weight:600;color:var(--fail);list-style-position:outside;margin-left:1rem}
details.failure>summary .tag{margin-left:.4rem;vertical-align:1px}
.exchange{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:.8rem;margin-top:.6rem}
.exchange h4,.repro h4{margin:.2rem 0;font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.6rem .7rem;margin:0;overflow:auto;max-height:28rem;white-space:pre-wrap;word-break:break-word}
.repro{margin-top:.6rem}.hidden{display:none!important}
.legend dt{font-family:ui-monospace,monospace;font-weight:600;overflow-wrap:anywhere}.legend dd{margin:0 0 .5rem 1rem;color:#3c4043}
footer{margin-top:3rem;color:var(--muted);font-size:12px}
.scroll{overflow-x:auto}
@media (max-width:700px){.rules td:nth-child(5),.rules th:nth-child(5){display:none}.rules td:nth-child(1){white-space:normal;word-break:break-all}.exchange{grid-template-columns:1fr}}
`;

/**
 * The filters: failures only, class, tag, level. Rows and failure sections carry data-* attributes; a tag link in the
 * summary sets the tag filter. Without script the page shows everything.
 */
export const SCRIPT = `
(() => {
  const $ = (s) => document.querySelector(s);
  const only = $('#f-failing'), cls = $('#f-class'), tag = $('#f-tag'), level = $('#f-level'), count = $('#f-count');
  const shows = (el) => {
    const classes = el.dataset.classes.split(' ');
    const failing = el.dataset.failing.split(' ').filter(Boolean);
    if (cls.value && !classes.includes(cls.value)) return false;
    if (only.checked && !(cls.value ? failing.includes(cls.value) : failing.length)) return false;
    if (tag.value && !el.dataset.tags.split(' ').includes(tag.value)) return false;
    if (level.value && el.dataset.level !== level.value) return false;
    return true;
  };
  const apply = () => {
    let shown = 0;
    for (const row of document.querySelectorAll('tr[data-classes]')) { const s = shows(row); row.classList.toggle('hidden', !s); shown += s; }
    for (const sec of document.querySelectorAll('section[data-classes]')) sec.classList.toggle('hidden', !shows(sec));
    count.textContent = shown + ' of ' + document.querySelectorAll('tr[data-classes]').length + ' rules shown';
  };
  for (const el of [only, cls, tag, level]) el.addEventListener('change', apply);
  for (const b of document.querySelectorAll('button[data-tag]')) b.addEventListener('click', () => { tag.value = b.dataset.tag; apply(); $('#rules').scrollIntoView(); });
  apply();
})();
`;
