'use strict';
// The page: files in, one result card per file, converted in a pool of web workers.

const WORKBOOK_EXT = ['xlsx', 'xlsm', 'xlsb', 'xls', 'ods'];
const SEVERITY = { error: '错误', warning: '警告', info: '提示' };
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

function run(message) {
  return new Promise((resolve, reject) => {
    queue.push({ message, resolve, reject });
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

async function addFiles(files, fromFolder) {
  const books = [];
  for (const f of files) {
    if (/\.toml$/i.test(f.name)) {
      await setRules(f);
    } else if (isWorkbookName(f.name) || !fromFolder) {
      books.push(f);
    }
  }
  if (books.length === 0) return;
  const start = results.length;
  for (const file of books) results.push({ file, status: 'waiting' });
  const names = outputNames(results.map((r) => r.file.name));
  results.forEach((r, i) => { r.outName = names[i]; });
  for (let i = start; i < results.length; i++) convertOne(results[i]);
  updateProgress();
}

// A rule file applies to the files added after it (as `jixiao --config`); a bad one is refused
// with the checker's message and the rules in force stay.
async function setRules(file) {
  const text = await file.text();
  try {
    const msg = await run({ type: 'rules', text, name: file.name });
    rules = { text, name: file.name };
    $('rules').textContent = `${msg.said}；此后加入的文件按此检查`;
    $('rules').dataset.rules = file.name;
  } catch (e) {
    $('rules').textContent = `${e.message}（未采用，仍按${rules ? `规则文件 ${rules.name}` : '内置规则'}检查）`;
  }
}

async function filesOfEntry(entry, path, out) {
  if (entry.isFile) {
    const file = await new Promise((res, rej) => entry.file(res, rej));
    if (isWorkbookName(file.name) || /\.toml$/i.test(file.name)) out.push(file);
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
    fromFolders.sort((a, b) => a.name.localeCompare(b.name));
    await addFiles(loose, false);
    await addFiles(fromFolders, true);
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

async function convertOne(r) {
  r.card = el('article', { class: 'result', 'data-testid': 'result', 'data-file': r.file.name, 'data-status': 'waiting' });
  r.head = el('div', { class: 'head' }, el('span', { class: 'name', text: r.file.name }), el('span', { class: 'muted', text: '等待处理…' }));
  r.card.append(r.head);
  $('results').append(r.card);
  r.status = 'working';
  const panic = testPanic && r.file.name.includes('panic');
  try {
    const msg = await run({ type: 'convert', file: r.file, layout: $('layout').value, panic, rules: rules?.text, rulesName: rules?.name });
    r.summary = JSON.parse(msg.summary);
    r.document = msg.document;
    r.ms = msg.ms;
    r.workbook = new Blob([msg.workbook], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    r.status = 'ok';
    showDone(r);
  } catch (e) {
    r.status = 'failed';
    showFailed(r, e.message);
  }
  updateProgress();
}

function showFailed(r, reason) {
  r.head.replaceChildren(el('span', { class: 'name', text: r.file.name }), el('span', { class: 'count err', text: '失败' }));
  r.card.append(el('p', { class: 'reason', 'data-testid': 'reason', text: reason }));
  r.card.dataset.tables = '0';
  r.card.dataset.status = 'failed';
}

function showDone(r) {
  const s = r.summary;
  const link = el('a', { 'data-testid': 'download', href: URL.createObjectURL(r.workbook), download: r.outName, class: 'button', text: `下载 ${r.outName}` });
  r.head.replaceChildren(
    el('span', { class: 'name', text: r.file.name }),
    el('span', { class: 'count' }, '表 ', el('b', { text: String(s.tables) }), ' 张'),
    el('span', { class: 'count err' }, '错误 ', el('b', { text: String(s.errors) })),
    el('span', { class: 'count warn' }, '警告 ', el('b', { text: String(s.warnings) })),
    el('span', { class: 'count' }, '提示 ', el('b', { text: String(s.infos) })),
    el('span', { class: 'muted', text: r.ms < 1000 ? `用时 ${Math.max(1, Math.round(r.ms))} 毫秒` : `用时 ${(r.ms / 1000).toFixed(2)} 秒` }),
    link,
  );
  if (s.errors > 0) r.card.classList.add('has-errors');
  if (s.findings.length > 0) r.card.append(findingsTable(s));
  Object.assign(r.card.dataset, {
    tables: String(s.tables), errors: String(s.errors), warnings: String(s.warnings),
    infos: String(s.infos), ms: r.ms.toFixed(1), status: 'ok',
  });
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

function updateProgress() {
  const done = results.filter((r) => r.status === 'ok' || r.status === 'failed').length;
  const failed = results.filter((r) => r.status === 'failed').length;
  const ok = results.filter((r) => r.status === 'ok');
  $('progress').max = Math.max(1, results.length);
  $('progress').value = done;
  const tables = ok.reduce((n, r) => n + r.summary.tables, 0);
  const errors = ok.reduce((n, r) => n + r.summary.errors, 0);
  const warnings = ok.reduce((n, r) => n + r.summary.warnings, 0);
  $('progress-text').textContent = done < results.length
    ? `正在处理：已完成 ${done} / ${results.length} 个文件`
    : `全部完成：${results.length} 个文件，成功 ${ok.length} 个，失败 ${failed} 个；${tables} 张表，错误 ${errors}，警告 ${warnings}`;
  $('progress-text').dataset.done = String(done === results.length);
  $('download-all').disabled = ok.length === 0;
  $('tpl-prefill').disabled = ok.length === 0;
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

// ---- wiring --------------------------------------------------------------------------------

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
