// The page: reads the input, calls the archcompat core (WebAssembly, ./pkg) and shows its
// answers. Presentation only: every decision (detection, redaction, findings, rewrites, fixes)
// is the core's; the JSON shown is what the CLI prints with --json for the same input.
import init, * as ac from './pkg/archcompat_web.js';

const $ = (id) => document.getElementById(id);
const MAX_ARCHIVE_BYTES = 8 * 1024 ** 3; // a dropped archive is read a slice at a time
const MAX_EXECUTABLE_BYTES = 256 * 1024 ** 2;
const HOST_PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/arm/v6', 'linux/386',
  'linux/ppc64le', 'linux/s390x', 'linux/riscv64'];

// The worker reads dropped archives with FileReaderSync; it loads its own copy of the core now,
// so that the page needs no request after load.
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
let jobs = 0;
const pending = new Map();
worker.onmessage = (ev) => {
  const { id, ok, value, error } = ev.data;
  const p = pending.get(id);
  if (!p) return;
  pending.delete(id);
  ok ? p.resolve(value) : p.reject(new Error(error));
};
const inWorker = (msg) => new Promise((resolve, reject) => {
  const id = ++jobs;
  pending.set(id, { resolve, reject });
  worker.postMessage({ id, ...msg });
});

const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
};

function setStatus(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
}

function fillTargets() {
  const sel = $('target');
  const hosts = el('optgroup', { label: 'Host platform' });
  for (const p of HOST_PLATFORMS) hosts.append(el('option', { value: p, text: p }));
  const profs = el('optgroup', { label: 'Deployment profile' });
  for (const p of JSON.parse(ac.profiles())) {
    profs.append(el('option', { value: p.name, text: `${p.name} (${p.platform})` }));
  }
  sel.append(hosts, profs);
  sel.value = 'linux/amd64';
}

const KIND_NAMES = { dockerfile: 'a Dockerfile', command: 'a command line', compose: 'a compose file', log: 'an error log' };
const plat = (p) => (typeof p === 'string' ? p : [p.os, p.architecture, p.variant].filter(Boolean).join('/'));
const lines = (t) => t.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');

// Long inputs are shown collapsed: the lines with findings and a few around each, the rest as
// "… N lines …" gaps, with a button that shows every line. Each view is built as one HTML
// string and set at once (a DOM node per line of a 1 MB log took seconds to build and lay out).
const FULL_LINES = 400;
const CONTEXT_LINES = 3;
const HEAD_LINES = 10;
const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const esc = (s) => s.replace(/[&<>"]/g, (c) => ESC[c]);
const lineHtml = (l, n, hl) => `<span class="${hl ? 'ln hl' : 'ln'}" data-n="${n}" id="line-${n}">${l ? esc(l) : ' '}</span>`;

function linesHtml(all, highlighted, collapsed) {
  const out = [];
  let gap = 0;
  const flush = () => { if (gap) out.push(`<span class="gap">… ${gap} line${gap === 1 ? '' : 's'} …</span>`); gap = 0; };
  const near = new Uint8Array(all.length + 1);
  if (collapsed) {
    near.fill(1, 1, HEAD_LINES + 1);
    for (const n of highlighted) {
      for (let k = Math.max(1, n - CONTEXT_LINES); k <= Math.min(all.length, n + CONTEXT_LINES); k++) near[k] = 1;
    }
  }
  for (let i = 0; i < all.length; i++) {
    const n = i + 1;
    if (collapsed && !near[n]) { gap++; continue; }
    flush();
    out.push(lineHtml(all[i], n, highlighted.has(n)));
  }
  flush();
  return out.join('');
}

function showRedacted(report, highlighted) {
  const pre = $('redacted');
  const all = lines(report.text);
  const long = all.length > FULL_LINES;
  pre.innerHTML = linesHtml(all, highlighted, long);
  const more = $('all-lines');
  more.hidden = !long;
  more.textContent = `Show all ${all.length} lines`;
  more.onclick = () => {
    pre.innerHTML = linesHtml(all, highlighted, false);
    more.hidden = true;
    pre.focus();
  };
  const counts = Object.entries(report.counts);
  $('counts').textContent = (report.total === 0
    ? ($('redact').checked ? 'No secrets found to redact.' : 'Redaction is off: your text is shown as written.')
    : `Redacted ${report.total} secret${report.total > 1 ? 's' : ''}: ` + counts.map(([k, n]) => `${k} ×${n}`).join(', ') + '.')
    + (long ? ` The input has ${all.length} lines: shown are the first ${HEAD_LINES}${highlighted.size ? ' and those around each finding' : ''}.` : '');
}

function findingItem({ severity, code, message, line, evidence }) {
  const li = el('li', { 'data-code': code });
  li.append(el('span', { class: `sev ${severity}`, text: severity }), ' ', el('span', { class: 'code', text: code }), ' ');
  if (line) {
    const a = el('a', { href: `#line-${line}`, text: `line ${line}` });
    li.append(a, ': ');
  }
  li.append(message);
  if (evidence?.length) {
    const ul = el('ul');
    for (const e of evidence) ul.append(el('li', { class: 'muted', text: (e.line ? `line ${e.line}: ` : '') + e.detail }));
    li.append(ul);
  }
  return li;
}

function showDiff(rw) {
  const sec = $('rewrite-section');
  sec.hidden = !rw;
  if (!rw) return;
  $('changes').replaceChildren(...(rw.changes.length ? rw.changes : ['nothing to change for this target']).map((c) => el('li', { text: c })));
  const text = rw.diff || rw.rewritten;
  // One HTML string, set at once (a node per line of a long file's diff took long to build).
  $('diff').innerHTML = lines(text).map((l) => {
    const cls = l.startsWith('+') && !l.startsWith('+++') ? 'add' : l.startsWith('-') && !l.startsWith('---') ? 'del' : l.startsWith('@@') ? 'hunk' : 'ctx';
    return `<span class="${cls}">${esc(l)}</span>`;
  }).join('');
  $('copy-rewrite').onclick = () => copy(rw.rewritten, $('copy-rewrite'));
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    setStatus('Copied to the clipboard.');
  } catch {
    setStatus('The browser refused the clipboard; select the text and copy it by hand.', true);
  }
  button.focus();
}

const ECOSYSTEMS = { 'docker-cli': 'docker CLI', buildx: 'docker buildx', dockerfile: 'Dockerfile', compose: 'Compose',
  kubernetes: 'Kubernetes', ecs: 'Amazon ECS', lambda: 'AWS Lambda', 'github-actions': 'GitHub Actions',
  'gitlab-ci': 'GitLab CI', binfmt: 'binfmt / QEMU', go: 'Go', rust: 'Rust', node: 'Node', file: 'The file' };

function showFixes(fixes) {
  const box = $('fixes');
  box.replaceChildren();
  if (!fixes.length) { box.append(el('p', { class: 'muted', text: 'No fix needed.' })); return; }
  const by = new Map();
  for (const f of fixes) {
    if (!by.has(f.applies_to)) by.set(f.applies_to, []);
    by.get(f.applies_to).push(f);
  }
  for (const [eco, list] of by) {
    const sec = el('section', { class: 'eco', 'data-ecosystem': eco }, el('h3', { text: ECOSYSTEMS[eco] || eco }));
    for (const f of list) {
      const b = el('button', { type: 'button', text: 'Copy' });
      b.onclick = () => copy(f.snippet, b);
      sec.append(el('p', {}, el('strong', { text: f.title }), ' — ', el('span', { class: 'muted', text: f.why })),
        el('pre', { tabindex: '0', text: f.snippet }), b);
    }
    box.append(sec);
  }
}

// The fixes to show: those of the answer itself, then the catalogue's for each cause code
// filled with the chosen target (duplicates dropped).
function collectFixes(own, codes, target, platforms, redact) {
  const seen = new Set();
  const out = [];
  const add = (f) => { const k = f.applies_to + '\0' + f.snippet; if (!seen.has(k)) { seen.add(k); out.push(f); } };
  own.forEach(add);
  const forTarget = {};
  for (const c of new Set(codes)) {
    forTarget[c] = JSON.parse(ac.fixesFor(c, target, platforms, redact));
    forTarget[c].forEach(add);
  }
  return { fixes: out, forTarget };
}

function analyse() {
  const text = $('input').value;
  const chosen = $('kind').value;
  const kind = chosen === 'auto' ? JSON.parse(ac.detectInput(text)) : chosen;
  const target = $('target').value;
  const redact = $('redact').checked;
  const answer = { kind, target, redaction: JSON.parse(ac.redact(text, redact)) };
  let findings = [];
  let own = [];
  let codes = [];
  let platforms = [];
  let rw = null;
  if (kind === 'dockerfile') {
    answer.lint = JSON.parse(ac.lint(text, '-', redact));
    rw = answer.rewrite = JSON.parse(ac.rewriteDockerfile(text, 'Dockerfile', target, redact));
    findings = answer.lint.findings.map((f) => ({ ...f, line: f.location?.line }));
    own = answer.lint.findings.flatMap((f) => f.fixes);
    codes = findings.map((f) => f.code);
  } else if (kind === 'log') {
    answer.explain = JSON.parse(ac.explain(text, '-', redact));
    findings = answer.explain.causes.map((c) => ({
      severity: c.confidence >= 0.5 ? 'error' : 'warning', code: c.code,
      message: `${Math.round(c.confidence * 100)}% — ${c.why}`, line: c.evidence.find((e) => e.line)?.line, evidence: c.evidence,
    }));
    own = answer.explain.fixes;
    codes = findings.map((f) => f.code);
    platforms = [answer.explain.causes[0]?.platforms?.image].filter(Boolean);
  } else if (kind === 'command') {
    rw = answer.rewrite = JSON.parse(ac.rewriteCommand(text.trim(), target, redact));
    own = rw.changes.length ? [rw.fix] : [];
  } else {
    rw = answer.rewrite = JSON.parse(ac.rewriteCompose(text, 'compose.yaml', target, redact));
    own = rw.changes.length ? [rw.fix] : [];
  }
  const { fixes, forTarget } = collectFixes(own, codes, target, platforms, redact);
  answer.fixes_for_target = forTarget;
  return { answer, findings, fixes, rw };
}

// The answer as JSON is written out when its section is open (a 1 MB input makes a several-MB
// document nobody asked to see yet).
let jsonShown = null;
function showJson(answer) {
  jsonShown = answer;
  $('json').textContent = $('json-details').open ? JSON.stringify(answer, null, 2) : '';
}

function render({ answer, findings, fixes, rw }) {
  $('out').hidden = false;
  $('detected').textContent = `Read as ${KIND_NAMES[answer.kind]}` + ($('kind').value === 'auto' ? ' (detected)' : '') + `, for ${answer.target}.`;
  // Highlighted: each finding's line and every evidence line it quotes.
  showRedacted(answer.redaction, new Set(findings.flatMap((f) => [f.line, ...(f.evidence || []).map((e) => e.line)]).filter(Boolean)));
  const ol = $('findings');
  ol.replaceChildren(...findings.map(findingItem));
  if (!findings.length) ol.append(el('li', { class: 'muted', text: answer.kind === 'log' ? 'No known architecture or exec problem recognised in this text.' : 'No architecture hazard found.' }));
  showDiff(rw);
  showFixes(fixes);
  showJson(answer);
  window.archcompatAnswer = answer;
}

function run() {
  try {
    const r = analyse();
    render(r);
    setStatus(`Done: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}.`);
  } catch (e) {
    setStatus(String(e.message || e), true);
  }
}

async function runFile(file) {
  const target = $('target').value;
  const redact = $('redact').checked;
  setStatus(`Reading ${file.name}…`);
  try {
    const head = new Uint8Array(await file.slice(0, 512).arrayBuffer());
    let answer;
    if (ac.isArchive(head)) {
      const json = await inWorker({ op: 'image', file, name: file.name, target, max: MAX_ARCHIVE_BYTES, redact });
      answer = { kind: 'image', target, image: JSON.parse(json) };
    } else {
      if (file.size > MAX_EXECUTABLE_BYTES) throw new Error(`${file.name}: larger than ${MAX_EXECUTABLE_BYTES} bytes`);
      const bytes = new Uint8Array(await file.arrayBuffer());
      answer = { kind: 'executable', target, inspect: JSON.parse(ac.classify(bytes, file.size, file.name, target, redact)) };
    }
    renderFile(answer);
    setStatus(`Done: ${file.name}.`);
  } catch (e) {
    setStatus(String(e.message || e), true);
  }
}

function renderFile(answer) {
  $('out').hidden = false;
  $('rewrite-section').hidden = true;
  $('counts').textContent = '';
  const pre = $('redacted');
  pre.replaceChildren();
  let findings; let summary;
  if (answer.kind === 'image') {
    const r = answer.image;
    findings = r.findings;
    summary = `Image ${r.source}: verdict ${r.verdict} on ${answer.target}` +
      (r.selected ? `; selected ${plat(r.selected.platform)}` : '') + '.';
    pre.textContent = (r.platforms || []).map((e) => `${e.status.padEnd(12)} ${e.reason}`).join('\n') || '(no index)';
  } else {
    const e = answer.inspect;
    findings = e.problems;
    summary = `File ${e.path}: ${e.format}${e.platform ? ' for ' + plat(e.platform) : ''}.`;
    pre.textContent = JSON.stringify(e.details ?? {}, null, 2);
  }
  $('detected').textContent = summary;
  const ol = $('findings');
  ol.replaceChildren(...findings.map((f) => findingItem({ ...f, line: undefined })));
  if (!findings.length) ol.append(el('li', { class: 'muted', text: 'No problem found.' }));
  showFixes(findings.flatMap((f) => f.fixes));
  showJson(answer);
  window.archcompatAnswer = answer;
}

async function main() {
  await init();
  await inWorker({ op: 'ready' });
  $('version').textContent = ac.version();
  fillTargets();
  $('form').addEventListener('submit', (e) => { e.preventDefault(); run(); });
  $('input').addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
  for (const id of ['kind', 'target', 'redact']) $(id).addEventListener('change', () => { if ($('input').value.trim()) run(); });
  $('file').addEventListener('change', () => { const f = $('file').files[0]; if (f) runFile(f); });
  let depth = 0;
  document.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; document.body.classList.add('dragging'); });
  document.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; document.body.classList.remove('dragging'); } });
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    e.preventDefault(); depth = 0; document.body.classList.remove('dragging');
    const f = e.dataTransfer?.files?.[0];
    if (f) runFile(f);
  });
  $('json-details').addEventListener('toggle', () => { if (jsonShown) showJson(jsonShown); });
  document.body.dataset.ready = 'true';
  setStatus('Ready. Paste something and press Check (Ctrl+Enter in the text area).');
}

main().catch((e) => setStatus(`The WebAssembly core did not load: ${e.message || e}`, true));
