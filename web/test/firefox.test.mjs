// Drives target/web/jixiao.html (opened from disk) in Debian's firefox-esr, headless, over
// WebDriver BiDi (puppeteer-core; Playwright's Firefox needs its own patched build, which cannot
// be downloaded here): the samples give the native tool's counts, a converted workbook fetched
// behind its download link reads back equal to the native `jixiao convert` output, and no request
// leaves the page.
//
//   node web/test/firefox.test.mjs      (after bash web/build.sh and cargo build)
// Env: JIXIAO_BIN (default target/debug/jixiao), FIREFOX (default /usr/bin/firefox-esr).
import puppeteer from 'puppeteer-core';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.JIXIAO_BIN || path.join(root, 'target/debug/jixiao');
const html = path.join(root, 'target/web/jixiao.html');
const firefox = process.env.FIREFOX || '/usr/bin/firefox-esr';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-firefox-'));
const samples = [
  'seed-publication.xlsx', 'seed-publication.xls', 'seed-publication.xlsb', 'seed-publication.ods',
  'national.xlsx', 'messy.xlsx', 'broken/truncated.xlsx', 'broken/encrypted.xlsx',
].map((s) => path.join(root, 'samples', s));
for (const f of [bin, html, firefox]) assert.ok(fs.existsSync(f), `${f} is missing`);

function native(args) {
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
// The model JSON without the file's own folder (two reads of equal workbooks in two places).
function canonical(jsonText, file) {
  const dir = path.dirname(file);
  return JSON.parse(jsonText.split(dir + path.sep).join('').split(dir).join(''));
}

const expected = new Map();
for (const f of samples) {
  const imp = native(['import', '--json', f]);
  if (imp.code !== 0) {
    expected.set(path.basename(f), { status: 'failed' });
    continue;
  }
  const found = JSON.parse(native(['check', '--json', f]).stdout).discrepancies;
  expected.set(path.basename(f), {
    status: 'ok',
    tables: JSON.parse(imp.stdout).tables.length,
    errors: found.filter((d) => d.severity === 'error').length,
    warnings: found.filter((d) => d.severity === 'warning').length,
  });
}
const nativeOut = path.join(scratch, 'native');
native(['convert', ...samples, '-o', nativeOut]);

const browser = await puppeteer.launch({ browser: 'firefox', executablePath: firefox, headless: true });
let failures = 0;
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 768 });
  const leaks = [];
  const errors = [];
  page.on('request', (req) => { if (!/^(file|blob|data):/.test(req.url())) leaks.push(req.url()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  // Firefox gives a file:// page's blob URLs an opaque origin that fetch() refuses: the blobs
  // behind the links are kept as the page makes them.
  await page.evaluateOnNewDocument(() => {
    const make = URL.createObjectURL;
    window.testBlobs = new Map();
    URL.createObjectURL = (blob) => {
      const url = make.call(URL, blob);
      window.testBlobs.set(url, blob);
      return url;
    };
  });
  await page.goto(pathToFileURL(html).href);
  const opening = await page.$eval('[data-testid=progress]', (e) => e.textContent.trim());
  assert.equal(opening, '尚未添加文件', 'nothing said done before files are added');
  assert.equal(await page.$eval('[data-testid=overview]', (e) => e.hidden), true, 'no summary bar yet');
  const input = await page.$('[data-testid=file-input]');
  await input.uploadFile(...samples);
  await page.waitForFunction((n) => {
    const cards = [...document.querySelectorAll('[data-testid=result]')];
    return cards.length === n && cards.every((c) => ['ok', 'failed'].includes(c.dataset.status));
  }, { timeout: 180000 }, samples.length);
  const shown = await page.$$eval('[data-testid=result]', (cards) => cards.map((c) => ({
    file: c.dataset.file, status: c.dataset.status, tables: Number(c.dataset.tables),
    errors: Number(c.dataset.errors), warnings: Number(c.dataset.warnings),
  })));
  for (const r of shown) {
    const want = expected.get(r.file);
    assert.equal(r.status, want.status, r.file);
    if (want.status === 'ok') {
      assert.deepEqual({ tables: r.tables, errors: r.errors, warnings: r.warnings },
        { tables: want.tables, errors: want.errors, warnings: want.warnings }, r.file);
    }
  }
  assert.equal(shown.filter((r) => r.status === 'failed').length, 2, 'the broken samples fail');
  console.log(`ok   firefox: ${shown.length} files give the native counts`);
  // In the order given; the summary bar sums them; the severity sort puts failures first.
  assert.deepEqual(shown.map((r) => r.file), samples.map((f) => path.basename(f)), 'the order given');
  const bar = await page.$$eval('[data-testid=overview] [data-count]', (es) => Object.fromEntries(es.map((e) => [e.dataset.count, Number(e.querySelector('b').textContent)])));
  const ok = shown.filter((r) => r.status === 'ok');
  assert.deepEqual(bar, {
    files: shown.length, tables: ok.reduce((n, r) => n + r.tables, 0), errors: ok.reduce((n, r) => n + r.errors, 0),
    warnings: ok.reduce((n, r) => n + r.warnings, 0), failed: shown.length - ok.length,
  });
  await page.select('[data-testid=sort]', 'severity');
  const sorted = await page.$$eval('[data-testid=result]', (cards) => cards.map((c) => c.dataset.status));
  assert.deepEqual(sorted.slice(0, 2), ['failed', 'failed'], 'failures first');
  await page.select('[data-testid=sort]', 'given');
  console.log('ok   firefox: the order given, the summary bar, the severity sort');

  // Each converted workbook, the blob behind its download link.
  const downloads = await page.$$eval('[data-testid=result][data-status=ok] [data-testid=download]',
    (links) => Promise.all(links.map(async (a) => {
      const bytes = new Uint8Array(await window.testBlobs.get(a.href).arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return { name: a.download, base64: btoa(s) };
    })));
  assert.equal(downloads.length, shown.filter((r) => r.status === 'ok').length);
  for (const d of downloads) {
    const mine = path.join(scratch, 'page', d.name);
    fs.mkdirSync(path.dirname(mine), { recursive: true });
    fs.writeFileSync(mine, Buffer.from(d.base64, 'base64'));
    const theirs = path.join(nativeOut, d.name);
    const a = native(['import', '--json', mine]);
    const b = native(['import', '--json', theirs]);
    assert.equal(a.code, 0, `${d.name}: ${a.stderr}`);
    assert.deepEqual(canonical(a.stdout, mine), canonical(b.stdout, theirs), d.name);
  }
  console.log(`ok   firefox: ${downloads.length} downloads read back equal to native convert`);

  // Self-evaluations and monitoring tables (issue 22): their totals as the command line reads
  // them; then the forms prefilled from targets tables, as `jixiao selfeval` writes them.
  const selfevalDir = path.join(root, 'tests/fixtures/selfeval');
  const selfevals = ['national.xlsx', 'monitoring.xlsx'].map((f) => path.join(selfevalDir, f));
  const targets = [path.join(selfevalDir, 'targets/national-targets.xlsx'), samples[0]];
  await page.click('[data-testid=clear]');
  await input.uploadFile(...selfevals, ...targets);
  const all = selfevals.length + targets.length;
  await page.waitForFunction((n) => {
    const cards = [...document.querySelectorAll('[data-testid=result]')];
    return cards.length === n && cards.every((c) => ['ok', 'failed'].includes(c.dataset.status));
  }, { timeout: 180000 }, all);
  for (const f of selfevals) {
    const name = path.basename(f);
    const tables = JSON.parse(native(['import', '--json', f]).stdout).tables;
    const lines = await page.$$eval(`[data-testid=result][data-file="${name}"] [data-testid=scored]`, (ps) => ps.map((l) => ({
      form: l.dataset.form,
      score: l.querySelector('[data-score]')?.dataset.score ?? null,
      grade: l.querySelector('[data-grade-computed]')?.dataset.gradeComputed ?? null,
    })));
    assert.deepEqual(lines.map((l) => l.form), tables.map((t) => t.form), name);
    for (const [i, t] of tables.entries()) {
      if (t.form !== 'self-evaluation') continue;
      assert.deepEqual(lines[i], { form: t.form, score: t.total?.score?.raw ?? '', grade: t.total?.grade_computed ?? '' }, `${name} ${i}`);
    }
  }
  console.log('ok   firefox: self-evaluations and monitoring tables show their form, total and grade');
  const before = await page.evaluate(() => window.testBlobs.size);
  await page.click('[data-testid=selfeval-prefilled]');
  await page.waitForFunction(() => /已生成|未能生成/.test(document.querySelector('[data-testid=template-status]').textContent));
  const status = await page.$eval('[data-testid=template-status]', (e) => e.textContent);
  assert.match(status, /已生成 .*绩效自评表\.xlsx/, status);
  const made = await page.evaluate(async (before) => {
    const blob = [...window.testBlobs.values()][before];
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  }, before);
  const mine = path.join(scratch, 'page-selfeval.xlsx');
  fs.writeFileSync(mine, Buffer.from(made, 'base64'));
  const theirs = path.join(scratch, 'native-selfeval.xlsx');
  // The same files the page read, in its order: the self-evaluations are not targets and are
  // left out by both.
  const cli = native(['selfeval', '--from', ...selfevals, ...targets, '-o', theirs]);
  assert.equal(cli.code, 0, cli.stderr);
  // Every cell (values and formulas), the input folders taken out (the page names a file by its
  // name, the command line by its path).
  const dirs = [...new Set([...selfevals, ...targets].map((f) => path.dirname(f)))].sort((a, b) => b.length - a.length);
  const strip = (t) => dirs.reduce((x, d) => x.split(JSON.stringify(d + path.sep).slice(1, -1)).join(''), t);
  const dump = (f) => JSON.parse(strip(spawnSync('python3', ['-c', `
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({ws.title: [[c.coordinate, c.value] for row in ws.iter_rows() for c in row if c.value is not None] for ws in wb.worksheets}, ensure_ascii=False, default=str))`, f], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout));
  assert.deepEqual(dump(mine), dump(theirs), 'the prefilled self-evaluations equal jixiao selfeval\'s');
  console.log('ok   firefox: 生成自评表 gives the workbook jixiao selfeval writes');
  assert.deepEqual(leaks, [], 'no request left the page');
  assert.deepEqual(errors, [], 'no script error');
  console.log('ok   firefox: no request left the page, no script error');
} catch (e) {
  failures++;
  console.log(`FAIL firefox\n${e.stack || e}`);
} finally {
  await browser.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}
if (failures > 0) process.exit(1);
console.log('\nfirefox tests: all passed');
