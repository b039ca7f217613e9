// Drives target/web/jixiao.html (opened from disk) in Debian's headless chromium and compares
// what it shows and downloads with the native jixiao binary on the same samples.
//
//   node web/test/page.test.mjs        (after bash web/build.sh and cargo build)
// Env: JIXIAO_BIN (default target/debug/jixiao), CHROMIUM (default /usr/bin/chromium),
//      SCREENSHOT (where to write the screenshot; default target/web/web-page.png).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.JIXIAO_BIN || path.join(root, 'target/debug/jixiao');
const html = path.join(root, 'target/web/jixiao.html');
const screenshot = process.env.SCREENSHOT || path.join(root, 'target/web/web-page.png');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-web-'));
const samples = [
  'seed-publication.xlsx', 'seed-publication.xls', 'seed-publication.xlsb', 'seed-publication.ods',
  'seed-one-per-sheet.xlsx', 'seed-one-per-sheet.ods', 'national.xlsx', 'messy.xlsx', 'yuan.xlsx',
  'drift-values.xlsx', 'disguised-xlsx.xls',
  'broken/truncated.xlsx', 'broken/not-a-workbook.xlsx', 'broken/no-table.xlsx',
  'broken/encrypted.xlsx', 'broken/empty.xlsx', 'broken/zip-bomb.xlsx',
].map((s) => path.join(root, 'samples', s));

for (const f of [bin, html]) assert.ok(fs.existsSync(f), `${f} is missing (cargo build; bash web/build.sh)`);

let failures = 0;
async function test(name, body) {
  const started = Date.now();
  try {
    await body();
    console.log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n${e.stack || e}`);
  }
}

// ---- the native tool's answers -----------------------------------------------------------

function native(args) {
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A model JSON with the file's own name and path taken out, for comparing two reads of equal
// workbooks that lie in different places.
function canonical(jsonText, file) {
  const dir = path.dirname(file);
  let t = jsonText.split(dir + path.sep).join('').split(dir).join('');
  return JSON.parse(t);
}

const expected = new Map();
for (const f of samples) {
  const imp = native(['import', '--json', f]);
  const chk = native(['check', '--json', f]);
  const name = path.basename(f);
  if (imp.code !== 0) {
    expected.set(name, { status: 'failed' });
    continue;
  }
  const found = JSON.parse(chk.stdout).discrepancies;
  expected.set(name, {
    status: 'ok',
    tables: JSON.parse(imp.stdout).tables.length,
    errors: found.filter((d) => d.severity === 'error').length,
    warnings: found.filter((d) => d.severity === 'warning').length,
  });
}
// One run over all samples, as the page gets them (output names depend on the whole set).
const nativeOut = path.join(scratch, 'native');
assert.equal(native(['convert', ...samples, '-o', nativeOut]).code, 2, 'native convert: some inputs fail');
assert.ok([...expected.values()].filter((e) => e.status === 'failed').length >= 3, 'broken samples fail natively');

// ---- the page ------------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1366, height: 768 } });
const leaks = [];
const local = (url) => /^(file|blob|data):/.test(url);
context.on('request', (req) => { if (!local(req.url())) leaks.push(req.url()); });
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (local(url)) return route.continue();
  leaks.push(url);
  return route.abort();
});
const pageErrors = [];

async function open(hash = '') {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(pathToFileURL(html).href + hash);
  return page;
}

async function waitAll(page, n) {
  await page.waitForFunction((n) => {
    const cards = [...document.querySelectorAll('[data-testid=result]')];
    return cards.length === n && cards.every((c) => ['ok', 'failed'].includes(c.dataset.status));
  }, n, { timeout: 120000 });
}

const results = async (page) => page.$$eval('[data-testid=result]', (cards) => cards.map((c) => ({
  file: c.dataset.file, status: c.dataset.status, tables: Number(c.dataset.tables),
  errors: Number(c.dataset.errors), warnings: Number(c.dataset.warnings), ms: Number(c.dataset.ms),
  reason: c.querySelector('[data-testid=reason]')?.textContent || '',
})));

const page = await open();
const pageDir = path.join(scratch, 'page');
let shown = [];

await test('on opening: nothing said done, no summary bar, nothing to clear', async () => {
  assert.equal((await page.textContent('[data-testid=progress]')).trim(), '尚未添加文件');
  assert.equal(await page.isVisible('[data-testid=overview]'), false);
  assert.equal(await page.isDisabled('[data-testid=clear]'), true);
  assert.equal(await page.isDisabled('[data-testid=download-summary]'), true);
});

await test('the samples give the native tool\'s counts, per file', async () => {
  await page.setInputFiles('[data-testid=file-input]', samples);
  await waitAll(page, samples.length);
  shown = await results(page);
  assert.equal(shown.length, samples.length);
  for (const r of shown) {
    const want = expected.get(r.file);
    assert.ok(want, `unexpected card ${r.file}`);
    assert.equal(r.status, want.status, `${r.file}: status (${r.reason})`);
    if (want.status === 'ok') {
      assert.deepEqual({ tables: r.tables, errors: r.errors, warnings: r.warnings },
        { tables: want.tables, errors: want.errors, warnings: want.warnings }, r.file);
    } else {
      assert.match(r.reason, /\S{4,}/, `${r.file}: a failed file shows its reason`);
    }
  }
  assert.ok(shown.filter((r) => r.status === 'ok').length >= 8);
});

// The cards as they stand in the page, top to bottom.
const cardOrder = async (p) => p.$$eval('[data-testid=result]', (cards) => cards.map((c) => ({
  file: c.dataset.file, path: c.dataset.path, status: c.dataset.status,
  errors: Number(c.dataset.errors || 0), warnings: Number(c.dataset.warnings || 0), id: c.id,
})));

await test('results stand in the order given; a sort puts failures and errors first; a summary bar sums them', async () => {
  const given = samples.map((f) => path.basename(f));
  assert.deepEqual((await cardOrder(page)).map((c) => c.file), given, 'the order given');
  // The summary bar: files, tables, errors, warnings, failed files as links to their cards.
  const count = async (id) => Number(await page.textContent(`[data-testid=overview] [data-count=${id}] b`));
  const ok = shown.filter((r) => r.status === 'ok');
  const failed = shown.filter((r) => r.status === 'failed');
  assert.equal(await count('files'), samples.length);
  assert.equal(await count('tables'), ok.reduce((n, r) => n + r.tables, 0));
  assert.equal(await count('errors'), ok.reduce((n, r) => n + r.errors, 0));
  assert.equal(await count('warnings'), ok.reduce((n, r) => n + r.warnings, 0));
  assert.equal(await count('failed'), failed.length);
  const links = await page.$$eval('[data-testid=failed-link]', (as) => as.map((a) => ({ text: a.textContent, href: a.getAttribute('href') })));
  assert.deepEqual(links.map((l) => l.text), failed.map((r) => r.file), 'one link per failed file, in the order given');
  for (const l of links) {
    assert.equal(await page.getAttribute(`[data-testid=result]${l.href}`, 'data-status'), 'failed', l.href);
  }
  await page.selectOption('[data-testid=sort]', 'severity');
  const sorted = await cardOrder(page);
  assert.deepEqual(sorted.slice(0, failed.length).map((c) => c.file), failed.map((r) => r.file), 'failures first, in the order given');
  const rest = sorted.slice(failed.length);
  for (let i = 1; i < rest.length; i++) {
    const [a, b] = [rest[i - 1], rest[i]];
    assert.ok(a.errors > b.errors || (a.errors === b.errors && a.warnings >= b.warnings), `${a.file} before ${b.file}`);
  }
  await page.selectOption('[data-testid=sort]', 'given');
  assert.deepEqual((await cardOrder(page)).map((c) => c.file), given, 'back to the order given');
});

await test('a folder\'s files stand in the order jixiao reads the folder (by path)', async () => {
  const dir = path.join(scratch, '报表');
  const layout = ['部门/z.xlsx', '部门/子/a.xlsx', '部门-二/b.xlsx', '部门10/c.xlsx', '部门2/d.xlsx', 'a.xlsx'];
  for (const rel of layout) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(samples[0], path.join(dir, rel));
  }
  const cli = native(['import', '--jsonl', dir]);
  assert.equal(cli.code, 0, cli.stderr);
  const cliOrder = [...new Set(cli.stdout.trim().split('\n').map((l) => JSON.parse(l).file))]
    .map((f) => path.relative(path.dirname(dir), f).split(path.sep).join('/'));
  assert.equal(cliOrder.length, layout.length);
  const p = await open();
  await p.setInputFiles('[data-testid=folder-input]', dir);
  await waitAll(p, layout.length);
  assert.deepEqual((await cardOrder(p)).map((c) => c.path), cliOrder);
  await p.close();
});

await test('a folder\'s own outputs (jixiao输出, a marked -o folder) are skipped as jixiao skips them, said once', async () => {
  const dir = path.join(scratch, '报表');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, '部门'), { recursive: true });
  fs.copyFileSync(samples[0], path.join(dir, 'a.xlsx'));
  fs.copyFileSync(samples[6], path.join(dir, '部门', 'b.xlsx'));
  // The drop on the exe writes 报表/jixiao输出 (found by its name); `convert -o` a folder holding
  // its marker file (found by the marker), here inside 部门.
  const dropped = native([path.join(dir, 'a.xlsx'), path.join(dir, '部门', 'b.xlsx')]);
  assert.equal(dropped.code, 0, dropped.stderr);
  const marked = native(['convert', path.join(dir, '部门', 'b.xlsx'), '-o', path.join(dir, '部门', '整理')]);
  assert.equal(marked.code, 0, marked.stderr);
  assert.ok(fs.readdirSync(path.join(dir, 'jixiao输出')).some((f) => f.endsWith('.xlsx')), 'the drop wrote jixiao输出');
  assert.ok(fs.readdirSync(path.join(dir, '部门', '整理')).some((f) => f.startsWith('.')), 'convert -o marked its folder');
  const cli = native(['import', '--jsonl', dir]);
  assert.equal(cli.code, 0, cli.stderr);
  const cliOrder = [...new Set(cli.stdout.trim().split('\n').map((l) => JSON.parse(l).file))]
    .map((f) => path.relative(path.dirname(dir), f).split(path.sep).join('/'));
  assert.deepEqual(cliOrder, ['报表/a.xlsx', '报表/部门/b.xlsx'], 'the command line reads the inputs only');
  const p = await open();
  await p.setInputFiles('[data-testid=folder-input]', dir);
  await waitAll(p, cliOrder.length);
  assert.deepEqual((await cardOrder(p)).map((c) => c.path), cliOrder, 'the page reads what the command line reads');
  const note = p.locator('[data-testid=skipped-outputs]');
  assert.equal(await note.count(), 1);
  assert.equal(await note.isVisible(), true);
  assert.deepEqual(JSON.parse(await note.getAttribute('data-folders')), ['报表/jixiao输出', '报表/部门/整理']);
  const said = await note.textContent();
  assert.match(said, /报表\/jixiao输出（2 个工作簿）/, said);
  assert.match(said, /报表\/部门\/整理（1 个工作簿）/, said);
  assert.equal(said.match(/未读取/g).length, 1, 'said once');
  // The folder itself, chosen on its own, is read (as `jixiao import 报表/jixiao输出`).
  await p.click('[data-testid=clear]');
  assert.equal(await note.isVisible(), false, '清空 clears the note');
  await p.setInputFiles('[data-testid=folder-input]', path.join(dir, 'jixiao输出'));
  await waitAll(p, 2);
  assert.equal(await note.isVisible(), false);
  await p.close();
});

await test('a dropped folder (directory entries, as Explorer drops it) skips jixiao输出 and marked folders too', async () => {
  // The drop gives directory entries, not the folder input's flat list: a fake entry tree of
  // 报表/{a.xlsx, jixiao输出/a.xlsx, 旧/{.jixiao输出, c.xlsx}, 部门/b.xlsx} dropped on the box.
  const p = await open();
  const bytes = [...fs.readFileSync(samples[0])];
  await p.evaluate((bytes) => {
    const data = new Uint8Array(bytes);
    const file = (name) => ({ isFile: true, isDirectory: false, name, file: (ok) => ok(new File([data], name)) });
    const dir = (name, children) => ({
      isFile: false, isDirectory: true, name,
      createReader: () => { let done = false; return { readEntries: (ok) => { ok(done ? [] : children); done = true; } }; },
    });
    const tree = dir('报表', [file('a.xlsx'), dir('jixiao输出', [file('a.xlsx')]),
      dir('旧', [file('.jixiao输出'), file('c.xlsx')]), dir('部门', [file('b.xlsx')])]);
    const event = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: { items: [{ webkitGetAsEntry: () => tree, getAsFile: () => null }], files: [] } });
    document.querySelector('#drop').dispatchEvent(event);
  }, bytes);
  await waitAll(p, 2);
  assert.deepEqual((await cardOrder(p)).map((c) => c.path), ['报表/a.xlsx', '报表/部门/b.xlsx']);
  assert.deepEqual(JSON.parse(await p.getAttribute('[data-testid=skipped-outputs]', 'data-folders')), ['报表/jixiao输出', '报表/旧']);
  await p.close();
});

await test('each download reads back equal to the native convert output', async () => {
  const links = await page.$$('[data-testid=result][data-status=ok] [data-testid=download]');
  assert.equal(links.length, shown.filter((r) => r.status === 'ok').length);
  for (const link of links) {
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const name = download.suggestedFilename();
    const mine = path.join(pageDir, name);
    await download.saveAs(mine);
    const theirs = path.join(nativeOut, name);
    assert.ok(fs.existsSync(theirs), `native convert wrote ${name} too`);
    const a = native(['import', '--json', mine]);
    const b = native(['import', '--json', theirs]);
    assert.equal(a.code, 0, `${name} from the page reads back: ${a.stderr}`);
    assert.deepEqual(canonical(a.stdout, mine), canonical(b.stdout, theirs), name);
  }
});

await test('download-all gives one zip of the same workbooks', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-all]')]);
  const zipPath = path.join(scratch, 'all.zip');
  await download.saveAs(zipPath);
  const listing = execFileSync('python3', ['-c', `
import sys, zipfile, hashlib, json
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
print(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}))`, zipPath], { encoding: 'utf8' });
  const inZip = JSON.parse(listing);
  const singles = fs.readdirSync(pageDir).sort();
  assert.deepEqual(Object.keys(inZip).sort(), singles);
  for (const name of singles) {
    const sha = execFileSync('sha256sum', [path.join(pageDir, name)], { encoding: 'utf8' }).split(' ')[0];
    assert.equal(inZip[name], sha, name);
  }
});

await test('the findings table filters by severity, rule and project', async () => {
  const card = page.locator('[data-testid=result][data-file="seed-publication.xlsx"]');
  const details = card.locator('[data-testid=findings]');
  await details.evaluate((d) => { d.open = true; });
  const rows = card.locator('tbody tr');
  const visible = async () => rows.evaluateAll((trs) => trs.filter((t) => !t.hidden).length);
  const all = await visible();
  const want = expected.get('seed-publication.xlsx');
  const infos = native(['check', '--json', samples[0]]);
  // The card lists what convert's 问题清单 lists: the profile chosen is said in 读取说明 instead.
  const listed = JSON.parse(infos.stdout).discrepancies.filter((d) => d.rule !== 'read.profile');
  assert.equal(all, listed.length, 'one row per finding');
  await card.locator('select[data-filter=severity]').selectOption('error');
  assert.equal(await visible(), want.errors);
  await card.locator('select[data-filter=severity]').selectOption('');
  const rule = await card.locator('select[data-filter=rule] option').nth(1).getAttribute('value');
  await card.locator('select[data-filter=rule]').selectOption(rule);
  const byRule = listed.filter((d) => d.rule === rule).length;
  assert.equal(await visible(), byRule, `rule ${rule}`);
  await card.locator('select[data-filter=rule]').selectOption('');
  const project = await card.locator('select[data-filter=project] option').nth(1).getAttribute('value');
  await card.locator('select[data-filter=project]').selectOption(project);
  const byProject = listed.filter((d) => (d.project || '') === project).length;
  assert.equal(await visible(), byProject, `project ${project}`);
  await card.locator('select[data-filter=project]').selectOption('');
});

// Every sheet's cells (values, and notes' text) of a workbook, with the folders of `dirs` taken
// out of every text (the page names a file by its name, the command line by its path).
function cellDump(file, dirs) {
  const json = execFileSync('python3', ['-c', `
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    out[ws.title] = [[c.coordinate, c.value if not isinstance(c.value, float) else round(c.value, 6), c.comment.text if c.comment else None]
                     for row in ws.iter_rows() for c in row if c.value is not None or c.comment]
print(json.dumps(out, ensure_ascii=False, default=str))`, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  let t = json;
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    t = t.split(JSON.stringify(d + path.sep).slice(1, -1)).join('');
  }
  return JSON.parse(t);
}

await test('the batch\'s 汇总 workbook is the one jixiao summary writes', async () => {
  assert.equal(await page.isDisabled('[data-testid=download-summary]'), false);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-summary]')]);
  assert.equal(download.suggestedFilename(), '汇总.xlsx');
  const mine = path.join(scratch, 'page-summary.xlsx');
  await download.saveAs(mine);
  const theirs = path.join(scratch, 'native-summary.xlsx');
  const made = native(['summary', ...samples, '-o', theirs]);
  assert.equal(made.code, 2, made.stderr);
  const dirs = [...new Set(samples.map((f) => path.dirname(f)))];
  const a = cellDump(mine, dirs);
  const b = cellDump(theirs, dirs);
  assert.deepEqual(Object.keys(a), Object.keys(b), 'the same sheets');
  assert.ok(Object.keys(a).length >= 4, Object.keys(a).join(' '));
  for (const sheet of Object.keys(b)) assert.deepEqual(a[sheet], b[sheet], sheet);
});

await test('each file\'s 读取对照 map is the one jixiao explain writes', async () => {
  for (const name of ['seed-publication.xlsx', 'national.xlsx']) {
    const card = page.locator(`[data-testid=result][data-file="${name}"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), card.locator('[data-testid=explain]').click()]);
    const stem = name.replace(/\.[^.]+$/, '');
    assert.equal(download.suggestedFilename(), `${stem}-读取对照.xlsx`);
    const mine = path.join(scratch, `page-${stem}-map.xlsx`);
    await download.saveAs(mine);
    const theirs = path.join(scratch, `native-${stem}-map.xlsx`);
    const made = native(['explain', path.join(root, 'samples', name), '-o', theirs]);
    assert.equal(made.code, 0, made.stderr);
    const dirs = [path.join(root, 'samples')];
    const a = cellDump(mine, dirs);
    const b = cellDump(theirs, dirs);
    assert.deepEqual(Object.keys(a), Object.keys(b), `${name}: the same sheets`);
    for (const sheet of Object.keys(b)) assert.deepEqual(a[sheet], b[sheet], `${name} ${sheet}`);
  }
});

await test('a template year the command line refuses (27) is refused by the page, in the same words', async () => {
  const cli = native(['template', '--year', '27', '-o', path.join(scratch, 'y27.xlsx')]);
  assert.equal(cli.code, 2);
  const said = cli.stderr.replace(/^错误：/, '').trim();
  assert.match(said, /四位数/);
  const downloads = [];
  page.on('download', (d) => downloads.push(d));
  await page.fill('[data-testid=template-year]', '27');
  for (const button of ['template-blank', 'template-prefilled']) {
    await page.click(`[data-testid=${button}]`);
    await page.waitForFunction(() => /未能生成模板/.test(document.querySelector('[data-testid=template-status]').textContent));
    assert.ok((await page.textContent('[data-testid=template-status]')).includes(said), button);
    await page.evaluate(() => { document.querySelector('[data-testid=template-status]').textContent = ''; });
  }
  assert.equal(downloads.length, 0, 'nothing downloaded for year 27');
  await page.fill('[data-testid=template-year]', '');
  await page.evaluate(() => { delete document.querySelector('[data-testid=template-year]').dataset.touched; });
});

await test('next year\'s templates, blank and prefilled, read back like the native ones', async () => {
  const latest = Math.max(...JSON.parse(native(['import', '--json', samples[0]]).stdout).tables.map((t) => t.year));
  await page.fill('[data-testid=template-year]', String(latest + 1));
  const year = Number(await page.inputValue('[data-testid=template-year]'));
  assert.ok(year > 2000, `template year ${year}`);
  for (const [button, args] of [
    ['template-blank', ['--year', String(year)]],
    ['template-prefilled', ['--from', samples[0]]],
  ]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${button}]`)]);
    const mine = path.join(scratch, `${button}.xlsx`);
    await download.saveAs(mine);
    fs.mkdirSync(path.join(scratch, 'native-template'), { recursive: true });
    const theirs = path.join(scratch, 'native-template', `${button}.xlsx`);
    const made = native(['template', ...args, '-o', theirs]);
    assert.equal(made.code, 0, made.stderr);
    const a = native(['import', '--json', mine]);
    const b = native(['import', '--json', theirs]);
    assert.equal(a.code, b.code, `${button}: ${a.stderr}`);
    if (button === 'template-blank') assert.deepEqual(canonical(a.stdout, mine), canonical(b.stdout, theirs), button);
  }
});

// ---- self-evaluations and monitoring tables (issue 22) ----------------------------------------

const selfevalDir = path.join(root, 'tests/fixtures/selfeval');
const selfevals = ['national.xlsx', 'hubei.xlsx', 'sichuan.xlsx', 'monitoring.xlsx'].map((f) => path.join(selfevalDir, f));
const targetsFiles = [path.join(selfevalDir, 'targets/national-targets.xlsx'), samples[0]];

await test('a self-evaluation or monitoring table shows its form, total (printed and computed), grade and findings', async () => {
  const p = await open();
  await p.setInputFiles('[data-testid=file-input]', selfevals);
  await waitAll(p, selfevals.length);
  const shownHere = await results(p);
  for (const f of selfevals) {
    const name = path.basename(f);
    const r = shownHere.find((x) => x.file === name);
    const imp = native(['import', '--json', f]);
    assert.equal(imp.code, 0, `${name}: ${imp.stderr}`);
    assert.equal(r.status, 'ok', `${name}: ${r.reason}`);
    const tables = JSON.parse(imp.stdout).tables;
    // As convert's 问题清单: the profile chosen is said in 读取说明, not as a finding.
    const found = JSON.parse(native(['check', '--json', f]).stdout).discrepancies.filter((d) => d.rule !== 'read.profile');
    assert.deepEqual({ tables: r.tables, errors: r.errors, warnings: r.warnings }, {
      tables: tables.length,
      errors: found.filter((d) => d.severity === 'error').length,
      warnings: found.filter((d) => d.severity === 'warning').length,
    }, name);
    const card = p.locator(`[data-testid=result][data-file="${name}"]`);
    const lines = await card.locator('[data-testid=scored]').evaluateAll((ps) => ps.map((l) => ({
      form: l.dataset.form, project: l.dataset.project,
      score: l.querySelector('[data-score]')?.dataset.score ?? null,
      computed: l.querySelector('[data-score-computed]')?.dataset.scoreComputed ?? null,
      grade: l.querySelector('[data-grade]')?.dataset.grade ?? null,
      gradeComputed: l.querySelector('[data-grade-computed]')?.dataset.gradeComputed ?? null,
      text: l.textContent,
    })));
    assert.equal(lines.length, tables.length, `${name}: one line per table`);
    for (const [i, t] of tables.entries()) {
      const l = lines[i];
      assert.equal(l.form, t.form, `${name} ${i}`);
      if (t.form === 'monitoring') {
        assert.ok(l.text.includes(`1-${t.execution.month}月`), l.text);
        continue;
      }
      const total = t.total || {};
      assert.deepEqual(
        { score: l.score, computed: l.computed, grade: l.grade, gradeComputed: l.gradeComputed },
        {
          score: total.score?.raw ?? '', computed: total.score_computed == null ? '' : String(Number(total.score_computed)),
          grade: total.grade?.text ?? '', gradeComputed: total.grade_computed ?? '',
        }, `${name} ${t.project.name}`);
    }
    // Findings like any table: one row per finding the command line reports.
    await card.locator('[data-testid=findings]').evaluate((d) => { d.open = true; });
    assert.equal(await card.locator('tbody tr').count(), found.length, `${name}: findings`);
  }
  // The seeded faults show: a total printed unlike the computed one.
  assert.ok(await p.locator('[data-testid=scored].differs').count() >= 1, 'a printed total unlike the computed one is marked');
  const national = JSON.parse(native(['import', '--json', selfevals[0]]).stdout).tables;
  assert.ok(national.some((t) => t.total?.score_computed), 'the fixture has a computed total');
  await p.close();
});

await test('生成自评表 / 生成监控表 give the workbooks jixiao selfeval / jixiao monitor write', async () => {
  const p = await open();
  assert.equal(await p.isDisabled('[data-testid=selfeval-prefilled]'), true, 'nothing to prefill from yet');
  await p.setInputFiles('[data-testid=file-input]', targetsFiles);
  await waitAll(p, targetsFiles.length);
  const dirs = [...new Set(targetsFiles.map((f) => path.dirname(f)))];
  for (const [button, month, args] of [
    ['selfeval-prefilled', null, ['selfeval']],
    ['monitor-prefilled', '7', ['monitor', '--month', '7']],
  ]) {
    if (month) await p.selectOption('[data-testid=monitor-month]', month);
    const [download] = await Promise.all([p.waitForEvent('download'), p.click(`[data-testid=${button}]`)]);
    const mine = path.join(scratch, `page-${button}.xlsx`);
    await download.saveAs(mine);
    const year = Math.max(...targetsFiles.flatMap((f) => JSON.parse(native(['import', '--json', f]).stdout).tables.map((t) => t.year)));
    assert.equal(download.suggestedFilename(), month ? `${year}年1-${month}月绩效运行监控表.xlsx` : `${year}年绩效自评表.xlsx`);
    const theirs = path.join(scratch, `native-${button}.xlsx`);
    const made = native([...args, '--from', ...targetsFiles, '-o', theirs]);
    assert.equal(made.code, 0, made.stderr);
    const a = cellDump(mine, dirs);
    const b = cellDump(theirs, dirs);
    assert.deepEqual(Object.keys(a), Object.keys(b), `${button}: the same sheets`);
    assert.ok(Object.keys(a).length >= 3, Object.keys(a).join(' '));
    for (const sheet of Object.keys(b)) assert.deepEqual(a[sheet], b[sheet], `${button} ${sheet}`);
    const formulas = Object.values(a).flat().filter(([, v]) => typeof v === 'string' && v.startsWith('='));
    assert.ok(formulas.length >= 5, `${button}: the forms score themselves by formulas`);
    const status = await p.textContent('[data-testid=template-status]');
    const sheets = Number(made.stdout.match(/：(\d+) 张/)[1]);
    assert.ok(status.includes(`${sheets} 张${month ? '绩效运行监控表' : '绩效自评表'}`), status);
  }
  // Only self-evaluations read: nothing to prefill from, said in the page.
  await p.click('[data-testid=clear]');
  await p.setInputFiles('[data-testid=file-input]', [selfevals[0]]);
  await waitAll(p, 1);
  await p.click('[data-testid=selfeval-prefilled]');
  await p.waitForFunction(() => /未能生成绩效自评表/.test(document.querySelector('[data-testid=template-status]').textContent));
  assert.match(await p.textContent('[data-testid=template-status]'), /没有读到任何绩效目标表/);
  await p.close();
});

await test('screenshot after the run', async () => {
  // One file's findings open, showing its errors only; the whole page, 1366 wide.
  const card = page.locator('[data-testid=result][data-file="seed-publication.xlsx"]');
  await card.locator('[data-testid=findings]').evaluate((d) => { d.open = true; });
  await card.locator('select[data-filter=severity]').selectOption('error');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshot, fullPage: true });
});

await test('a panic in the module fails that file only; the module restarts', async () => {
  const p = await open('#test-panic');
  const copy = path.join(scratch, 'panic.xlsx');
  fs.copyFileSync(samples[0], copy);
  await p.setInputFiles('[data-testid=file-input]', [copy, samples[1], samples[2], samples[3]]);
  await waitAll(p, 4);
  const r = await results(p);
  const broken = r.find((x) => x.file === 'panic.xlsx');
  assert.equal(broken.status, 'failed');
  assert.match(broken.reason, /内部出错/);
  for (const x of r.filter((x) => x.file !== 'panic.xlsx')) assert.equal(x.status, 'ok', x.file);
  await p.setInputFiles('[data-testid=file-input]', [samples[0]]);
  await p.click('[data-testid=batch-add]');
  await waitAll(p, 5);
  const again = (await results(p))[4];
  assert.equal(again.status, 'ok', 'a file after the panic converts');
  assert.equal(again.tables, expected.get('seed-publication.xlsx').tables);
  await p.close();
});

await test('a new batch asks: add to the results or start again; 清空 clears', async () => {
  const p = await open();
  const first = [samples[0], samples[13]]; // a table, a failure
  await p.setInputFiles('[data-testid=file-input]', first);
  await waitAll(p, 2);
  const count = async (id) => Number(await p.textContent(`[data-testid=overview] [data-count=${id}] b`));
  const failedBefore = await count('failed');
  assert.equal(failedBefore, 1);
  // Replace: only the new batch stays, and the counters are the new batch's alone.
  await p.setInputFiles('[data-testid=file-input]', [samples[6]]);
  await p.waitForSelector('[data-testid=batch-dialog][open]');
  await p.click('[data-testid=batch-replace]');
  await waitAll(p, 1);
  assert.deepEqual((await cardOrder(p)).map((c) => c.file), [path.basename(samples[6])]);
  assert.equal(await count('files'), 1);
  assert.equal(await count('failed'), 0);
  assert.equal(await count('errors'), expected.get(path.basename(samples[6])).errors);
  // Add: appended after what is there.
  await p.setInputFiles('[data-testid=file-input]', [samples[1]]);
  await p.click('[data-testid=batch-add]');
  await waitAll(p, 2);
  assert.deepEqual((await cardOrder(p)).map((c) => c.file), [samples[6], samples[1]].map((f) => path.basename(f)));
  assert.equal(await count('files'), 2);
  // Cancel: nothing changes.
  await p.setInputFiles('[data-testid=file-input]', [samples[2]]);
  await p.click('[data-testid=batch-cancel]');
  assert.equal((await cardOrder(p)).length, 2);
  // 清空: back to the opening state.
  await p.click('[data-testid=clear]');
  assert.equal((await cardOrder(p)).length, 0);
  assert.equal((await p.textContent('[data-testid=progress]')).trim(), '尚未添加文件');
  assert.equal(await p.isVisible('[data-testid=overview]'), false);
  assert.equal(await p.isDisabled('[data-testid=download-all]'), true);
  // After 清空 a batch does not ask.
  await p.setInputFiles('[data-testid=file-input]', [samples[0]]);
  await waitAll(p, 1);
  assert.equal(await p.isVisible('[data-testid=batch-dialog]'), false);
  await p.close();
});

await test('a bad rule file is explained in the page\'s terms: the key, what is allowed, the rule list', async () => {
  const p = await open();
  const cases = [
    ['[rules]\n"no.such-rule" = "error"\n', 'rules.no.such-rule', /未知的规则“no\.such-rule”/, true],
    ['[rules]\n"goal.cost-mismatch" = "fatal"\n', 'rules.goal.cost-mismatch', /error、warning、info 或 off/, false],
    ['[rulez]\n', 'rulez', /此处可用：rules、thresholds、profile/, false],
  ];
  for (const [i, [text, key, allowed, list]] of cases.entries()) {
    const f = path.join(scratch, `bad-${i}`, 'jixiao.toml');
    fs.mkdirSync(path.dirname(f));
    fs.writeFileSync(f, text);
    await p.setInputFiles('[data-testid=file-input]', [f]);
    await p.waitForFunction((key) => document.querySelector('[data-testid=rules]').dataset.key === key, key);
    const said = await p.textContent('[data-testid=rules]');
    assert.match(said, allowed, said);
    assert.ok(said.includes(`出错的键：${key}`), said);
    assert.match(said, /未采用/);
    assert.doesNotMatch(said, /jixiao check|--rules|命令/, 'no command line in the page');
    assert.equal(said.includes('规则一览'), list, said);
  }
  // The list of rules the message points to: the catalogue, as `jixiao check --rules --json`.
  const catalogue = JSON.parse(native(['check', '--rules', '--json']).stdout);
  assert.equal(await p.isVisible('[data-testid=rule-list]'), true);
  const ids = await p.$$eval('[data-testid=rule-list] tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
  assert.deepEqual(ids, catalogue.map((r) => r.id));
  await p.close();
});

await test('a rule file dropped with the files checks them as jixiao --config does', async () => {
  const toml = path.join(scratch, 'jixiao.toml');
  fs.writeFileSync(toml, '[rules]\n"goal.cost-mismatch" = "warning"\n"values.timeliness-not-time" = "off"\n');
  const bad = path.join(scratch, 'bad', 'jixiao.toml');
  fs.mkdirSync(path.dirname(bad));
  fs.writeFileSync(bad, '[rules]\n"no.such-rule" = "error"\n');
  const p = await open();
  await p.setInputFiles('[data-testid=file-input]', [bad]);
  await p.waitForFunction(() => /未采用/.test(document.querySelector('[data-testid=rules]').textContent));
  assert.match(await p.textContent('[data-testid=rules]'), /有误/);
  await p.setInputFiles('[data-testid=file-input]', [toml, samples[0], samples[2]]);
  await waitAll(p, 2);
  assert.equal(await p.getAttribute('[data-testid=rules]', 'data-rules'), 'jixiao.toml');
  for (const r of await results(p)) {
    const f = samples.find((s) => path.basename(s) === r.file);
    const found = JSON.parse(native(['--config', toml, 'check', '--json', f]).stdout).discrepancies;
    const want = { errors: found.filter((d) => d.severity === 'error').length, warnings: found.filter((d) => d.severity === 'warning').length };
    assert.deepEqual({ errors: r.errors, warnings: r.warnings }, want, r.file);
    assert.notDeepEqual(want, { errors: expected.get(r.file).errors, warnings: expected.get(r.file).warnings }, 'the rule file changes the counts');
  }
  await p.close();
});

await test('the README states the page\'s size as built', async () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const stated = readme.match(/in one file \(([0-9.]+) MB, as `web\/build.sh` reports it/);
  assert.ok(stated, 'the README states the page\'s size');
  const built = fs.statSync(html).size / 1048576;
  assert.ok(Math.abs(Number(stated[1]) - built) <= 0.2, `README says ${stated[1]} MB, the build wrote ${built.toFixed(1)} MB`);
});

await test('no request left the page, no script error', async () => {
  assert.deepEqual(leaks, []);
  assert.deepEqual(pageErrors, []);
});

// BENCH=1: each file alone in the page (one worker busy, after a warm-up file) against the
// native binary on that file alone (JIXIAO_BIN, a release build for the figures).
if (process.env.BENCH) {
  const p = await open();
  await p.setInputFiles('[data-testid=file-input]', [samples[0]]);
  await waitAll(p, 1);
  const ok = samples.filter((f) => expected.get(path.basename(f)).status === 'ok');
  console.log('\nper file, one at a time: page (in the worker: read + check + convert) vs native (jixiao convert, one process, wall)');
  for (let i = 0; i < ok.length; i++) {
    await p.setInputFiles('[data-testid=file-input]', [ok[i]]);
    await waitAll(p, i + 2);
    const r = (await results(p))[i + 1];
    const out = path.join(scratch, `bench-${i}`);
    const t0 = process.hrtime.bigint();
    native(['convert', ok[i], '-o', out]);
    const n = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`  ${r.file.padEnd(26)} ${String(fs.statSync(ok[i]).size).padStart(8)} B  page ${r.ms.toFixed(0).padStart(5)} ms  native ${n.toFixed(0).padStart(5)} ms  ${(r.ms / n).toFixed(2)}×`);
  }
  await p.close();
}

await browser.close();
fs.rmSync(scratch, { recursive: true, force: true });
if (failures > 0) {
  console.log(`\n${failures} web test(s) failed`);
  process.exit(1);
}
console.log('\nweb tests: all passed');
