'use strict';
// The page: files in, one result card per file, converted in a pool of web workers.

const WORKBOOK_EXT = ['xlsx', 'xlsm', 'xlsb', 'xls', 'ods'];
const SEVERITY = { error: '错误', warning: '警告', info: '提示' };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const $ = (id) => document.getElementById(id);

// ---- the module and the workers ----------------------------------------------------------

function decodeBase64(text) {
  const bin = atob(text.trim());
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const workerUrl = URL.createObjectURL(new Blob([WORKER_SRC], { type: 'text/javascript' }));
const modulePromise = WebAssembly.compile(decodeBase64($('wasm').textContent));
const poolSize = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8));
const queue = [];   // jobs waiting: {message, resolve, reject}
const workers = []; // {worker, busy: job|null, ready}
const testPanic = location.hash === '#test-panic';

function startWorker(slot) {
  const worker = new Worker(workerUrl);
  const entry = { worker, busy: null, ready: false };
  workers[slot] = entry;
  worker.onmessage = (event) => onWorkerMessage(slot, entry, event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    crashed(slot, entry, event.message || '处理模块意外停止');
  };
  modulePromise.then((module) => worker.postMessage({ type: 'init', module }));
}

function crashed(slot, entry, message) {
  if (workers[slot] !== entry) return;
  entry.worker.terminate();
  const job = entry.busy;
  startWorker(slot);
  if (job) job.reject(new Error(`处理该文件时程序内部出错，已重新启动处理模块，其余文件不受影响（${message}）`));
}

function onWorkerMessage(slot, entry, msg) {
  if (msg.type === 'ready') {
    entry.ready = true;
    pump();
  } else if (msg.type === 'init-failed') {
    showFatal(`无法启动处理模块：${msg.message}`);
  } else if (msg.type === 'panic') {
    crashed(slot, entry, msg.message);
  } else {
    const job = entry.busy;
    entry.busy = null;
    if (job) {
      if (msg.type === 'done') job.resolve(msg);
      else job.reject(new Error(msg.message));
    }
    pump();
  }
}

function pump() {
  for (const entry of workers) {
    if (!entry || !entry.ready || entry.busy || queue.length === 0) continue;
    const job = queue.shift();
    entry.busy = job;
    entry.worker.postMessage(job.message);
  }
}

// A job for the next free worker; `first`: before the files waiting (a quick question of the
// page's, not a file's turn).
function run(message, first = false) {
  return new Promise((resolve, reject) => {
    if (first) queue.unshift({ message, resolve, reject });
    else queue.push({ message, resolve, reject });
    pump();
  });
}

for (let i = 0; i < poolSize; i++) startWorker(i);

// ---- files in ------------------------------------------------------------------------------

const results = []; // {file, outName, card, status, workbook: Blob, document}
let rules = null; // {text, name} of the rule file in force

function extOf(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function isWorkbookName(name) {
  if (name.startsWith('~$') || name.startsWith('.~lock')) return false;
  return WORKBOOK_EXT.includes(extOf(name));
}

function stemOf(name) {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return stem || '输出';
}

// Output names as `jixiao convert` gives them: <stem>.xlsx; files sharing a stem get their
// extension added, then a number.
function outputNames(names) {
  const perStem = new Map();
  for (const n of names) {
    const k = stemOf(n).toLowerCase();
    perStem.set(k, (perStem.get(k) || 0) + 1);
  }
  const used = new Set();
  return names.map((n) => {
    const s = stemOf(n);
    const ext = extOf(n);
    const base = perStem.get(s.toLowerCase()) > 1 && ext ? `${s}-${ext}` : s;
    let name = `${base}.xlsx`;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}-${i}.xlsx`;
    used.add(name.toLowerCase());
    return name;
  });
}

// A file's path inside a dropped or chosen folder (its name for a loose file).
const pathOf = (f) => f.relPath || f.webkitRelativePath || f.name;

// Folder files in the order `jixiao` reads a folder: by path, folder by folder (component-wise,
// as paths compare), so that `部门/a.xlsx` and `部门-二/b.xlsx` fall where the CLI puts them.
function byPath(a, b) {
  const x = pathOf(a).split('/');
  const y = pathOf(b).split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

let generation = 0; // bumped by 清空: jobs of an earlier batch are dropped when they end

// Files in, in the order given (a folder's files by path). When results are shown already,
// asks whether to add the new files to them or start again.
async function addFiles(files, fromFolder) {
  if (fromFolder) files = await withoutOutputs(files);
  const books = [];
  for (const f of files) {
    if (/\.toml$/i.test(f.name)) {
      await setRules(f);
    } else if (isWorkbookName(f.name) || !fromFolder) {
      books.push(f);
    }
  }
  if (books.length === 0) return;
  if (fromFolder) books.sort(byPath);
  if (results.length > 0) {
    const answer = await askBatch(books.length);
    if (answer === 'cancel') return;
    if (answer === 'replace') clearAll();
  }
  const start = results.length;
  for (const file of books) results.push({ file, status: 'waiting', index: results.length, generation });
  const names = outputNames(results.map((r) => r.file.name));
  results.forEach((r, i) => { r.outName = names[i]; });
  for (let i = start; i < results.length; i++) convertOne(results[i]);
  sortCards();
  updateProgress();
}

// The dialog asking what a new batch does to the results shown: 'add', 'replace' or 'cancel'.
function askBatch(n) {
  const dialog = $('batch-dialog');
  $('batch-have').textContent = String(results.length);
  $('batch-new').textContent = String(n);
  return new Promise((resolve) => {
    const answer = (value) => () => {
      for (const [id, h] of handlers) $(id).removeEventListener('click', h);
      dialog.close();
      resolve(value);
    };
    const handlers = [['batch-add', answer('add')], ['batch-replace', answer('replace')], ['batch-cancel', answer('cancel')]];
    for (const [id, h] of handlers) $(id).addEventListener('click', h);
    dialog.addEventListener('cancel', handlers[2][1], { once: true });
    dialog.showModal();
  });
}

// Folders jixiao wrote (its `jixiao输出` beside the inputs, or a folder holding its marker)
// inside the folders of this page's batches, as the library names them: skipped, said once.
const skippedOutputs = new Map(); // folder path → workbooks not read

// The files of dropped or chosen folders without those inside folders jixiao wrote: reading
// them again would count the converted copies of the tables a second time (the rule is the
// library's, the one `jixiao` follows when it searches a folder).
async function withoutOutputs(files) {
  const inFolder = files.filter((f) => pathOf(f).includes('/'));
  if (inFolder.length === 0) return files;
  const paths = JSON.stringify(inFolder.map(pathOf));
  const folders = JSON.parse((await run({ type: 'output-folders', paths }, true)).folders);
  if (folders.length === 0) return files;
  const outputOf = (f) => folders.find((d) => pathOf(f).startsWith(`${d}/`));
  const kept = [];
  for (const f of files) {
    const d = outputOf(f);
    if (!d) kept.push(f);
    else skippedOutputs.set(d, (skippedOutputs.get(d) || 0) + (isWorkbookName(f.name) ? 1 : 0));
  }
  showSkippedOutputs();
  return kept;
}

function showSkippedOutputs() {
  const note = $('skipped-outputs');
  note.hidden = skippedOutputs.size === 0;
  const list = [...skippedOutputs].map(([d, n]) => `${d}（${n} 个工作簿）`).join('、');
  note.textContent = skippedOutputs.size === 0 ? '' : `未读取 jixiao 生成的输出文件夹：${list}。`
    + '其中是先前整理后的工作簿，再读会重复计入；需要时可单独拖入该文件夹。';
  note.dataset.folders = JSON.stringify([...skippedOutputs.keys()]);
}

// 清空: every result, card and download goes; the rule file stays in force. Jobs still queued
// are dropped; those running finish unseen.
function clearAll() {
  generation++;
  for (const job of queue.splice(0)) job.reject(new Error('已清空'));
  for (const r of results) if (r.link) URL.revokeObjectURL(r.link);
  results.length = 0;
  $('results').replaceChildren();
  delete $('tpl-year').dataset.touched;
  $('tpl-status').textContent = '';
  skippedOutputs.clear();
  showSkippedOutputs();
  updateProgress();
}

// A rule file applies to the files added after it (as `jixiao --config`); a bad one is refused
// in the page's own words (which key, what is allowed, the list of rules) and the rules in
// force stay.
async function setRules(file) {
  const text = await file.text();
  const shown = $('rules');
  try {
    const read = JSON.parse((await run({ type: 'rules', text, name: file.name })).read);
    if (read.ok) {
      rules = { text, name: file.name };
      shown.textContent = `${read.said}；此后加入的文件按此检查`;
      shown.dataset.rules = file.name;
      shown.classList.remove('rules-bad');
    } else {
      const still = rules ? `规则文件 ${rules.name}` : '内置规则';
      const where = read.key ? `出错的键：${read.key}。` : '';
      const list = read.unknown_rule ? '可用的规则号见右侧“规则一览”。' : '';
      shown.textContent = `${read.said}。${where}${list}该文件未采用，仍按${still}检查。`;
      shown.dataset.key = read.key || '';
      shown.classList.add('rules-bad');
      if (read.unknown_rule) await showRuleList();
    }
  } catch (e) {
    shown.textContent = `规则文件 ${file.name} 无法读取：${e.message}`;
  }
}

// The rule catalogue, as `jixiao check --rules` lists it, in the page.
async function showRuleList() {
  const box = $('rule-list');
  const body = box.querySelector('tbody');
  if (body.children.length === 0) {
    const list = JSON.parse((await run({ type: 'rule-list' })).list);
    for (const r of list) {
      body.append(el('tr', {}, el('td', { text: r.id }), el('td', { text: r.name }),
        el('td', { class: `sev-${r.severity}`, text: SEVERITY[r.severity] || r.severity }), el('td', { text: r.checks })));
    }
  }
  box.hidden = false;
  box.open = true;
  box.scrollIntoView({ block: 'nearest' });
}

async function filesOfEntry(entry, path, out) {
  if (entry.isFile) {
    const file = await new Promise((res, rej) => entry.file(res, rej));
    file.relPath = `${path}${file.name}`;
    out.push(file); // every file: a marker file names a folder jixiao wrote
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
      if (batch.length === 0) break;
      for (const e of batch) await filesOfEntry(e, `${path}${entry.name}/`, out);
    }
  }
}

async function onDrop(event) {
  event.preventDefault();
  $('drop').classList.remove('over');
  const items = [...(event.dataTransfer.items || [])];
  const entries = items.map((it) => (it.webkitGetAsEntry ? it.webkitGetAsEntry() : null));
  if (entries.some((e) => e && e.isDirectory)) {
    const loose = [];
    const fromFolders = [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (e && e.isDirectory) await filesOfEntry(e, '', fromFolders);
      else if (items[i].getAsFile()) loose.push(items[i].getAsFile());
    }
    const found = (await withoutOutputs(fromFolders))
      .filter((f) => isWorkbookName(f.name) || /\.toml$/i.test(f.name));
    await addFiles([...loose, ...found.sort(byPath)], false);
  } else {
    addFiles([...event.dataTransfer.files], false);
  }
}

// ---- one file ------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

// The card's title: the file's name, and its folder when it came from one.
function nameOf(r) {
  const p = pathOf(r.file);
  const dir = p.lastIndexOf('/') > 0 ? p.slice(0, p.lastIndexOf('/') + 1) : '';
  return el('span', { class: 'name' }, dir ? el('span', { class: 'path', text: dir }) : null, r.file.name);
}

async function convertOne(r) {
  r.card = el('article', {
    class: 'result', id: `file-${r.index + 1}`, 'data-testid': 'result', 'data-file': r.file.name,
    'data-path': pathOf(r.file), 'data-index': String(r.index), 'data-status': 'waiting',
  });
  r.head = el('div', { class: 'head' }, nameOf(r), el('span', { class: 'muted', text: '等待处理…' }));
  r.card.append(r.head);
  $('results').append(r.card);
  r.status = 'working';
  const panic = testPanic && r.file.name.includes('panic');
  try {
    const msg = await run({ type: 'convert', file: r.file, layout: $('layout').value, panic, rules: rules?.text, rulesName: rules?.name });
    if (r.generation !== generation) return;
    r.summary = JSON.parse(msg.summary);
    r.document = msg.document;
    r.ms = msg.ms;
    r.workbook = new Blob([msg.workbook], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    r.status = 'ok';
    showDone(r);
  } catch (e) {
    if (r.generation !== generation) return;
    r.status = 'failed';
    r.reason = e.message;
    showFailed(r, e.message);
  }
  sortCards();
  updateProgress();
}

function showFailed(r, reason) {
  r.head.replaceChildren(nameOf(r), el('span', { class: 'count err', text: '失败' }));
  r.card.append(el('p', { class: 'reason', 'data-testid': 'reason', text: reason }));
  r.card.dataset.tables = '0';
  r.card.dataset.status = 'failed';
}

function showDone(r) {
  const s = r.summary;
  r.link = URL.createObjectURL(r.workbook);
  const link = el('a', { 'data-testid': 'download', href: r.link, download: r.outName, class: 'button', text: `下载 ${r.outName}` });
  const map = el('button', { 'data-testid': 'explain', title: '与 jixiao explain 生成的读取对照工作簿相同：每个单元格按读取结果着色' }, '读取对照');
  map.addEventListener('click', () => explainOne(r, map));
  r.head.replaceChildren(
    nameOf(r),
    el('span', { class: 'count' }, '表 ', el('b', { text: String(s.tables) }), ' 张'),
    el('span', { class: 'count err' }, '错误 ', el('b', { text: String(s.errors) })),
    el('span', { class: 'count warn' }, '警告 ', el('b', { text: String(s.warnings) })),
    el('span', { class: 'count' }, '提示 ', el('b', { text: String(s.infos) })),
    el('span', { class: 'muted', text: r.ms < 1000 ? `用时 ${Math.max(1, Math.round(r.ms))} 毫秒` : `用时 ${(r.ms / 1000).toFixed(2)} 秒` }),
    link,
    map,
  );
  if (s.errors > 0) r.card.classList.add('has-errors');
  for (const t of s.scored) r.card.append(scoredLine(t));
  if (s.findings.length > 0) r.card.append(findingsTable(s));
  Object.assign(r.card.dataset, {
    tables: String(s.tables), errors: String(s.errors), warnings: String(s.warnings),
    infos: String(s.infos), ms: r.ms.toFixed(1), status: 'ok',
  });
}

// A self-evaluation's total and grade, printed beside what its lines and the profile's scoring
// give; a monitoring table's month.
function scoredLine(t) {
  const line = el('p', { class: 'scored', 'data-testid': 'scored', 'data-form': t.form, 'data-project': t.project });
  line.append(el('span', { class: 'form', text: t.form_name }), ` ${t.project}`);
  if (t.form === 'monitoring') {
    line.append(`：执行情况截至 ${t.month ? `1-${t.month}月` : '（表中未写明月份）'}`);
    return line;
  }
  const differs = (a, b) => a != null && b != null && Number(a) !== Number(b) && a !== b;
  const total = el('b', { 'data-score': t.score ?? '', text: t.score ?? '未填' });
  const computed = el('b', { 'data-score-computed': t.score_computed ?? '', text: t.score_computed ?? '无法计算' });
  const grade = el('b', { 'data-grade': t.grade ?? '', text: t.grade ?? '未填' });
  const gradeComputed = el('b', { 'data-grade-computed': t.grade_computed ?? '', text: t.grade_computed ?? '—' });
  line.append('：总分 ', total, '（按计分规则计算 ', computed, '）；自评等级 ', grade, '（按分数应为 ', gradeComputed, '）');
  if (differs(t.score, t.score_computed) || (t.grade && t.grade_computed && t.grade !== t.grade_computed)) {
    line.classList.add('differs');
  }
  return line;
}

function findingsTable(s) {
  const box = el('details', { 'data-testid': 'findings' });
  box.append(el('summary', { text: `问题清单（${s.findings.length} 条）` }));
  const options = (label, values, name) => {
    const sel = el('select', { 'data-filter': name }, el('option', { value: '', text: `全部${label}` }));
    for (const [v, t] of values) sel.append(el('option', { value: v, text: t }));
    return el('label', {}, `${label}：`, sel);
  };
  const uniq = (xs) => [...new Set(xs)];
  const rules = uniq(s.findings.map((f) => f.rule)).map((r) => {
    const f = s.findings.find((x) => x.rule === r);
    return [r, f.rule_name ? `${r} ${f.rule_name}` : r];
  });
  const projects = uniq(s.findings.map((f) => f.project || '')).map((p) => [p, p || '（无项目）']);
  const filters = el('div', { class: 'filters' },
    options('严重程度', Object.entries(SEVERITY).filter(([k]) => s.findings.some((f) => f.severity === k)), 'severity'),
    options('规则', rules, 'rule'),
    options('项目', projects, 'project'));
  const tbody = el('tbody');
  const rows = s.findings.map((f) => {
    const place = f.cell ? `${f.sheet}!${f.cell}` : f.sheet || '';
    const tr = el('tr', {},
      el('td', { class: `sev-${f.severity}`, text: SEVERITY[f.severity] || f.severity }),
      el('td', { text: f.rule_name ? `${f.rule} ${f.rule_name}` : f.rule }),
      el('td', { text: f.project || '' }),
      el('td', { class: 'cell', text: place }),
      el('td', { text: f.message }));
    tr.finding = f;
    tbody.append(tr);
    return tr;
  });
  filters.addEventListener('change', () => {
    const want = {};
    for (const sel of filters.querySelectorAll('select')) want[sel.dataset.filter] = sel.value;
    for (const tr of rows) {
      const f = tr.finding;
      const show = (!want.severity || f.severity === want.severity)
        && (!want.rule || f.rule === want.rule)
        && (!want.project || (f.project || '') === want.project);
      tr.hidden = !show;
    }
  });
  const table = el('table', {},
    el('thead', {}, el('tr', {}, ...['严重程度', '规则', '项目', '位置', '说明'].map((t) => el('th', { text: t })))),
    tbody);
  box.append(filters, el('div', { class: 'findings-wrap' }, table));
  return box;
}

// The cards in the order chosen: as given, or failures first, then by errors and warnings
// (most first), the order given among equals.
function sortCards() {
  const bySeverity = $('sort').value === 'severity';
  const rank = (r) => (r.status === 'failed' ? [0, 0, 0] : r.status === 'ok'
    ? [1, -r.summary.errors, -r.summary.warnings] : [2, 0, 0]);
  const order = [...results];
  if (bySeverity) {
    order.sort((a, b) => {
      const x = rank(a);
      const y = rank(b);
      for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
      return a.index - b.index;
    });
  }
  const box = $('results');
  order.forEach((r, i) => { if (r.card && box.children[i] !== r.card) box.insertBefore(r.card, box.children[i] || null); });
}

function updateProgress() {
  const done = results.filter((r) => r.status === 'ok' || r.status === 'failed').length;
  const failed = results.filter((r) => r.status === 'failed');
  const ok = results.filter((r) => r.status === 'ok');
  $('progress').max = Math.max(1, results.length);
  $('progress').value = done;
  const tables = ok.reduce((n, r) => n + r.summary.tables, 0);
  const errors = ok.reduce((n, r) => n + r.summary.errors, 0);
  const warnings = ok.reduce((n, r) => n + r.summary.warnings, 0);
  const finished = done === results.length;
  if (results.length === 0) {
    $('progress-text').textContent = '尚未添加文件';
  } else {
    $('progress-text').textContent = finished
      ? `全部完成：${results.length} 个文件`
      : `正在处理：已完成 ${done} / ${results.length} 个文件`;
  }
  $('progress-text').dataset.done = String(results.length > 0 && finished);
  // The summary bar: the batch in one line, the failed files as links to their cards.
  $('overview').hidden = results.length === 0;
  const count = (label, n, cls, id) => el('span', { class: cls || '', 'data-count': id }, `${label} `, el('b', { text: String(n) }));
  $('overview').querySelector('.totals').replaceChildren(
    count('文件', results.length, '', 'files'), ' · ',
    count('表', tables, '', 'tables'), ' · ',
    count('错误', errors, 'err', 'errors'), ' · ',
    count('警告', warnings, 'warn', 'warnings'), ' · ',
    count('失败', failed.length, failed.length ? 'err' : '', 'failed'),
    ...(finished ? [] : [el('span', { class: 'muted' }, `（处理中 ${results.length - done} 个）`)]));
  $('overview').querySelector('.failed-links').replaceChildren(...(failed.length ? ['失败的文件：'] : []),
    ...failed.map((r) => el('a', { href: `#${r.card.id}`, 'data-testid': 'failed-link', text: pathOf(r.file) })));
  $('download-all').disabled = ok.length === 0;
  $('download-summary').disabled = ok.length === 0 || !finished;
  $('clear').disabled = results.length === 0;
  $('tpl-prefill').disabled = ok.length === 0;
  $('selfeval-prefilled').disabled = ok.length === 0;
  $('monitor-prefilled').disabled = ok.length === 0;
  if (!$('tpl-year').dataset.touched) {
    const years = ok.flatMap((r) => JSON.parse(r.document).tables.map((t) => t.year)).filter((y) => y);
    $('tpl-year').value = String((years.length ? Math.max(...years) : new Date().getFullYear()) + 1);
  }
}

function showFatal(message) {
  $('progress-text').textContent = message;
}

// ---- downloads -----------------------------------------------------------------------------

function save(blob, name) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A zip of stored entries (the workbooks are compressed already), UTF-8 names.
function zip(entries) {
  const enc = new TextEncoder();
  const now = new Date();
  const time = (now.getHours() << 11) | (now.getMinutes() << 5) | (now.getSeconds() >> 1);
  const date = ((now.getFullYear() - 1980) << 9) | ((now.getMonth() + 1) << 5) | now.getDate();
  const parts = [];
  const central = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = enc.encode(name);
    const crc = crc32(data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, 0x0800, true);
    local.setUint16(8, 0, true);
    local.setUint16(10, time, true);
    local.setUint16(12, date, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, data.length, true);
    local.setUint32(22, data.length, true);
    local.setUint16(26, nameBytes.length, true);
    local.setUint16(28, 0, true);
    parts.push(local, nameBytes, data);
    const cd = new DataView(new ArrayBuffer(46));
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint16(4, 20, true);
    cd.setUint16(6, 20, true);
    cd.setUint16(8, 0x0800, true);
    cd.setUint16(10, 0, true);
    cd.setUint16(12, time, true);
    cd.setUint16(14, date, true);
    cd.setUint32(16, crc, true);
    cd.setUint32(20, data.length, true);
    cd.setUint32(24, data.length, true);
    cd.setUint16(28, nameBytes.length, true);
    cd.setUint32(42, offset, true);
    central.push(cd, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cdSize = central.reduce((n, p) => n + p.byteLength, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, cdSize, true);
  end.setUint32(16, offset, true);
  return new Blob([...parts, ...central, end], { type: 'application/zip' });
}

$('download-all').addEventListener('click', async () => {
  const ok = results.filter((r) => r.status === 'ok');
  const entries = [];
  for (const r of ok) entries.push({ name: r.outName, data: new Uint8Array(await r.workbook.arrayBuffer()) });
  save(zip(entries), '整理后的绩效表.zip');
});

// The batch's 汇总 workbook (as `jixiao summary`), the files in the order given.
$('download-summary').addEventListener('click', async () => {
  $('tpl-status').textContent = '正在生成汇总工作簿…';
  const files = results.filter((r) => r.status === 'ok' || r.status === 'failed').map((r) => (r.status === 'ok'
    ? `[${JSON.stringify(pathOf(r.file))},${r.document},null,${r.file.lastModified || null}]`
    : `[${JSON.stringify(pathOf(r.file))},null,${JSON.stringify(r.reason)},${r.file.lastModified || null}]`));
  try {
    const msg = await run({ type: 'summary', files: `[${files.join(',')}]`, rules: rules?.text, rulesName: rules?.name });
    save(new Blob([msg.workbook], { type: XLSX }), '汇总.xlsx');
    $('tpl-status').textContent = '已生成 汇总.xlsx';
  } catch (e) {
    $('tpl-status').textContent = `未能生成汇总工作簿：${e.message}`;
  }
});

// One file's map of how it was read (as `jixiao explain`), made when asked for.
async function explainOne(r, button) {
  const name = `${stemOf(r.file.name)}-读取对照.xlsx`;
  button.disabled = true;
  try {
    const msg = await run({ type: 'explain', file: r.file });
    save(new Blob([msg.workbook], { type: XLSX }), name);
  } catch (e) {
    r.card.append(el('p', { class: 'reason', text: `未能生成读取对照：${e.message}` }));
  }
  button.disabled = false;
}

async function template(message, name) {
  $('tpl-status').textContent = '正在生成模板…';
  try {
    const msg = await run(message);
    save(new Blob([msg.workbook], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), name);
    $('tpl-status').textContent = `已生成 ${name}`;
  } catch (e) {
    $('tpl-status').textContent = `未能生成模板：${e.message}`;
  }
}

$('tpl-year').addEventListener('input', () => { $('tpl-year').dataset.touched = '1'; });
$('tpl-blank').addEventListener('click', () => {
  const year = Number($('tpl-year').value);
  template({ type: 'template-blank', year, layout: $('layout').value }, `${year}年绩效表空白模板.xlsx`);
});
$('tpl-prefill').addEventListener('click', () => {
  const year = Number($('tpl-year').value);
  const docs = results.filter((r) => r.status === 'ok').map((r) => `[${JSON.stringify(r.file.name)},${r.document}]`);
  template({ type: 'template-prefilled', documents: `[${docs.join(',')}]`, year }, `${year}年绩效表（预填）.xlsx`);
});

// This year's self-evaluation or monitoring forms prefilled from the targets tables read, as
// `jixiao selfeval --from` / `jixiao monitor --from … --month` write them.
async function selfevalForms(month) {
  const ok = results.filter((r) => r.status === 'ok');
  const docs = ok.map((r) => `[${JSON.stringify(r.file.name)},${r.document}]`);
  const years = ok.flatMap((r) => JSON.parse(r.document).tables.filter((t) => !t.form).map((t) => t.year)).filter((y) => y);
  const year = years.length ? `${Math.max(...years)}年` : '';
  const name = month ? `${year}1-${month}月绩效运行监控表.xlsx` : `${year}绩效自评表.xlsx`;
  $('tpl-status').textContent = month ? '正在生成绩效运行监控表…' : '正在生成绩效自评表…';
  try {
    const msg = await run({ type: 'selfeval-prefilled', documents: `[${docs.join(',')}]`, month });
    save(new Blob([msg.workbook], { type: XLSX }), name);
    $('tpl-status').textContent = `已生成 ${name}：${msg.said}`;
  } catch (e) {
    $('tpl-status').textContent = `未能生成${month ? '绩效运行监控表' : '绩效自评表'}：${e.message}`;
  }
}

$('selfeval-prefilled').addEventListener('click', () => selfevalForms(0));
$('monitor-prefilled').addEventListener('click', () => selfevalForms(Number($('monitor-month').value)));
$('monitor-month').value = String(Math.max(1, new Date().getMonth()));

// ---- wiring --------------------------------------------------------------------------------

$('clear').addEventListener('click', clearAll);
$('sort').addEventListener('change', sortCards);
$('rule-list-link').addEventListener('click', (e) => { e.preventDefault(); showRuleList(); });
$('file-input').addEventListener('change', (e) => { addFiles([...e.target.files], false); e.target.value = ''; });
$('folder-input').addEventListener('change', (e) => { addFiles([...e.target.files], true); e.target.value = ''; });
const drop = $('drop');
for (const t of ['dragenter', 'dragover']) {
  drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add('over'); });
}
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', onDrop);
// A file dropped beside the box must not make the browser navigate away from the page.
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => { if (!drop.contains(e.target)) onDrop(e); });
updateProgress();
