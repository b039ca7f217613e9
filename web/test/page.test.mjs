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
  assert.equal(all, JSON.parse(infos.stdout).discrepancies.length, 'one row per finding');
  await card.locator('select[data-filter=severity]').selectOption('error');
  assert.equal(await visible(), want.errors);
  await card.locator('select[data-filter=severity]').selectOption('');
  const rule = await card.locator('select[data-filter=rule] option').nth(1).getAttribute('value');
  await card.locator('select[data-filter=rule]').selectOption(rule);
  const byRule = JSON.parse(infos.stdout).discrepancies.filter((d) => d.rule === rule).length;
  assert.equal(await visible(), byRule, `rule ${rule}`);
  await card.locator('select[data-filter=rule]').selectOption('');
  const project = await card.locator('select[data-filter=project] option').nth(1).getAttribute('value');
  await card.locator('select[data-filter=project]').selectOption(project);
  const byProject = JSON.parse(infos.stdout).discrepancies.filter((d) => (d.project || '') === project).length;
  assert.equal(await visible(), byProject, `project ${project}`);
  await card.locator('select[data-filter=project]').selectOption('');
});

await test('next year\'s templates, blank and prefilled, read back like the native ones', async () => {
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
  await waitAll(p, 5);
  const again = (await results(p))[4];
  assert.equal(again.status, 'ok', 'a file after the panic converts');
  assert.equal(again.tables, expected.get('seed-publication.xlsx').tables);
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
