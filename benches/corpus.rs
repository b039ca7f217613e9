//! Corpus benchmark (issue 6): `jixiao import` and `jixiao convert` against their floors.
//!
//! Run it with `benches/run.sh`, which builds the release binary, makes the corpus
//! (`benches/make_corpus.py`) and then runs `cargo bench --bench corpus`. Every figure is the
//! best of R interleaved runs (other builds share the machine: the minimum is the figure least
//! disturbed by them), and every comparison is a ratio between figures of the same run.
//!
//! Contestants, on N department workbooks of ten tables each (N = 10, 100, 1000):
//! - read floor: calamine streaming every cell of every sheet, plus its merges; nothing more;
//! - write floor: rust_xlsxwriter writing the same cells with the same formats and merges
//!   (taken from the inputs before the clock starts);
//! - import: `jixiao::read::read_many` in-process, and the `jixiao import` binary;
//! - convert: `jixiao::write::batch::convert_many` in-process, and the `jixiao convert` binary;
//! - openpyxl: `load_workbook` of each file (`benches/openpyxl_load.py`).
//!
//! The binary runs go through `/usr/bin/time`, for CPU use (both cores busy?) and peak memory.
//! A sheet of K stacked tables (K = 30 … 1000) checks that reading is linear in tables.
//!
//! Settings (environment): `JIXIAO_CORPUS` (default `target/bench-corpus`), `JIXIAO_BIN`
//! (default `target/release/jixiao`), `JIXIAO_BENCH_REPEATS` (3), `JIXIAO_BENCH_SIZES`
//! (`10,100,1000`), `JIXIAO_BENCH_OPENPYXL` (sizes to load with openpyxl, `10,100`; `none`),
//! `JIXIAO_BENCH_STACKED` (`30,100,300,1000`); `JIXIAO_BENCH_ONE` (see [`run_one`]).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use calamine::{DataRef, Reader, Xlsx};
use rayon::prelude::*;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, FormatPattern, Workbook};

use jixiao::write::batch;
use nix::time::{clock_gettime, ClockId};

fn main() -> Result<()> {
    let cfg = Config::from_env()?;
    if let Some(one) = std::env::var("JIXIAO_BENCH_ONE")
        .ok()
        .filter(|v| !v.is_empty())
    {
        return run_one(&cfg, &one);
    }
    let mut bench = Bench::new(cfg)?;
    bench.run()?;
    bench.report();
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Settings

struct Config {
    corpus: PathBuf,
    bin: PathBuf,
    repeats: usize,
    sizes: Vec<usize>,
    openpyxl_sizes: Vec<usize>,
    stacked: Vec<usize>,
    cores: usize,
}

impl Config {
    fn from_env() -> Result<Config> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let list = |k: &str, default: &str| -> Result<Vec<usize>> {
            let v = var(k).unwrap_or_else(|| default.to_string());
            if v == "none" {
                return Ok(Vec::new());
            }
            v.split(',')
                .map(|s| s.trim().parse().with_context(|| format!("{k}: {s}")))
                .collect()
        };
        let cfg = Config {
            corpus: var("JIXIAO_CORPUS")
                .map_or_else(|| root.join("target/bench-corpus"), PathBuf::from),
            bin: var("JIXIAO_BIN")
                .map_or_else(|| root.join("target/release/jixiao"), PathBuf::from),
            repeats: var("JIXIAO_BENCH_REPEATS").map_or(Ok(3), |v| v.parse())?,
            sizes: list("JIXIAO_BENCH_SIZES", "10,100,1000")?,
            openpyxl_sizes: list("JIXIAO_BENCH_OPENPYXL", "10,100")?,
            stacked: list("JIXIAO_BENCH_STACKED", "30,100,300,1000")?,
            cores: std::thread::available_parallelism().map_or(1, usize::from),
        };
        if !cfg.corpus.join("STAMP").exists() {
            bail!(
                "no corpus at {}: run benches/make_corpus.py (or benches/run.sh)",
                cfg.corpus.display()
            );
        }
        if !cfg.bin.exists() {
            bail!("no binary at {}: cargo build --release", cfg.bin.display());
        }
        Ok(cfg)
    }
}

// ---------------------------------------------------------------------------------------------
// The floors

/// calamine reading every cell (values streamed, not copied) and the merges of every sheet.
fn read_floor(path: &Path) -> Result<usize> {
    let bytes = std::fs::read(path)?;
    let mut wb = Xlsx::new(Cursor::new(bytes))?;
    let mut n = 0;
    for name in wb.sheet_names() {
        let mut cells = wb.worksheet_cells_reader(&name)?;
        while let Some(c) = cells.next_cell()? {
            if !matches!(c.get_value(), DataRef::Empty) {
                n += 1;
            }
        }
        drop(cells);
        n += wb.merge_cells_by_sheet_name(&name)?.len();
    }
    Ok(n)
}

/// A cell value to write.
enum Val {
    Str(String),
    Num(f64),
    Bool(bool),
    Blank,
}

/// One sheet to write: cells (row, col, value, style id) and merges (with their style id).
struct SheetPlan {
    name: String,
    cells: Vec<(u32, u16, Val, usize)>,
    merges: Vec<(u32, u16, u32, u16, usize)>,
}

/// One workbook to write, as read from an input before the clock starts.
struct WritePlan {
    styles: Vec<calamine::Style>,
    sheets: Vec<SheetPlan>,
}

fn write_plan(path: &Path) -> Result<WritePlan> {
    let mut wb = Xlsx::new(Cursor::new(std::fs::read(path)?))?;
    let mut styles = Vec::new();
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let mut cells = Vec::new();
        let mut reader = wb.worksheet_cells_reader(&name)?;
        if styles.is_empty() {
            styles = reader.styles().to_vec();
        }
        while let Some((c, style)) = reader.next_cell_with_style_id()? {
            let (r, col) = c.get_position();
            let v = match c.get_value() {
                DataRef::String(s) => Val::Str(s.clone()),
                DataRef::SharedString(s) => Val::Str((*s).to_string()),
                DataRef::Float(f) => Val::Num(*f),
                DataRef::Int(i) => Val::Num(*i as f64),
                DataRef::DateTime(d) => Val::Num(d.as_f64()),
                DataRef::Bool(b) => Val::Bool(*b),
                _ => Val::Blank,
            };
            cells.push((r, u16::try_from(col)?, v, style));
        }
        drop(reader);
        let style_at = |r: u32, c: u32| {
            cells
                .iter()
                .find(|(cr, cc, _, _)| *cr == r && u32::from(*cc) == c)
                .map_or(0, |x| x.3)
        };
        let merges = wb
            .merge_cells_by_sheet_name(&name)?
            .iter()
            .map(|d| {
                Ok((
                    d.start.0,
                    u16::try_from(d.start.1)?,
                    d.end.0,
                    u16::try_from(d.end.1)?,
                    style_at(d.start.0, d.start.1),
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        sheets.push(SheetPlan {
            name,
            cells,
            merges,
        });
    }
    Ok(WritePlan { styles, sheets })
}

fn border(b: &calamine::Border) -> FormatBorder {
    use calamine::BorderStyle as B;
    match b.style {
        B::None => FormatBorder::None,
        B::Thin => FormatBorder::Thin,
        B::Medium => FormatBorder::Medium,
        B::Thick => FormatBorder::Thick,
        B::Double => FormatBorder::Double,
        B::Hair => FormatBorder::Hair,
        B::Dashed => FormatBorder::Dashed,
        B::Dotted => FormatBorder::Dotted,
        B::MediumDashed => FormatBorder::MediumDashed,
        B::DashDot => FormatBorder::DashDot,
        B::MediumDashDot => FormatBorder::MediumDashDot,
        B::DashDotDot => FormatBorder::DashDotDot,
        _ => FormatBorder::MediumDashDotDot,
    }
}

fn rgb(c: calamine::Color) -> Color {
    Color::RGB(c.to_argb() & 0x00FF_FFFF)
}

/// The rust_xlsxwriter format for a calamine style: font, fill, borders, alignment, number
/// format, protection.
fn to_format(s: &calamine::Style) -> Format {
    use calamine::{HorizontalAlignment as H, VerticalAlignment as V};
    let mut f = Format::new();
    if let Some(font) = &s.font {
        if let Some(name) = &font.name {
            f = f.set_font_name(name.as_str());
        }
        if let Some(size) = font.size {
            f = f.set_font_size(size);
        }
        if font.is_bold() {
            f = f.set_bold();
        }
        if font.is_italic() {
            f = f.set_italic();
        }
        if let Some(c) = font.color {
            f = f.set_font_color(rgb(c));
        }
    }
    if let Some(fill) = s.fill.as_ref().filter(|x| x.is_visible()) {
        if let Some(c) = fill.get_color() {
            f = f
                .set_pattern(FormatPattern::Solid)
                .set_background_color(rgb(c));
        }
    }
    if let Some(b) = &s.borders {
        f = f
            .set_border_left(border(&b.left))
            .set_border_right(border(&b.right))
            .set_border_top(border(&b.top))
            .set_border_bottom(border(&b.bottom));
    }
    if let Some(a) = &s.alignment {
        f = f.set_align(match a.horizontal {
            H::Left => FormatAlign::Left,
            H::Center => FormatAlign::Center,
            H::Right => FormatAlign::Right,
            H::Justify => FormatAlign::Justify,
            H::Distributed => FormatAlign::Distributed,
            H::CenterContinuous => FormatAlign::CenterAcross,
            H::Fill => FormatAlign::Fill,
            _ => FormatAlign::General,
        });
        f = f.set_align(match a.vertical {
            V::Top => FormatAlign::Top,
            V::Center => FormatAlign::VerticalCenter,
            V::Justify => FormatAlign::VerticalJustify,
            V::Distributed => FormatAlign::VerticalDistributed,
            _ => FormatAlign::Bottom,
        });
        if a.wrap_text {
            f = f.set_text_wrap();
        }
    }
    if let Some(n) = &s.number_format {
        if n.format_code != "General" {
            f = f.set_num_format(n.format_code.as_str());
        }
    }
    if s.protection.as_ref().is_some_and(|p| !p.locked) {
        f = f.set_unlocked();
    }
    f
}

/// rust_xlsxwriter writing the planned cells, formats and merges to `out`.
fn write_floor(plan: &WritePlan, out: &Path) -> Result<usize> {
    let formats: Vec<Format> = plan.styles.iter().map(to_format).collect();
    let default = Format::new();
    let fmt = |id: usize| formats.get(id).unwrap_or(&default);
    let mut wb = Workbook::new();
    let mut n = 0;
    for s in &plan.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name)?;
        for &(r1, c1, r2, c2, st) in &s.merges {
            ws.merge_range(r1, c1, r2, c2, "", fmt(st))?;
        }
        for (r, c, v, st) in &s.cells {
            let f = fmt(*st);
            match v {
                Val::Str(t) => ws.write_string_with_format(*r, *c, t, f)?,
                Val::Num(x) => ws.write_number_with_format(*r, *c, *x, f)?,
                Val::Bool(b) => ws.write_boolean_with_format(*r, *c, *b, f)?,
                Val::Blank => ws.write_blank(*r, *c, f)?,
            };
            n += 1;
        }
    }
    wb.save(out)?;
    Ok(n)
}

// ---------------------------------------------------------------------------------------------
// One contestant, once (for instruction counts)

/// `JIXIAO_BENCH_ONE=CONTESTANT:N` runs one contestant once, on this thread, over the N-file
/// corpus: `read-floor`, `write-floor`, `import` or `convert`. `benches/run.sh` runs it under
/// callgrind with `--toggle-collect` on the contestant's per-file function, which counts the
/// instructions of that work alone: a figure other builds on the machine cannot disturb.
fn run_one(cfg: &Config, one: &str) -> Result<()> {
    let (what, n) = one
        .split_once(':')
        .context("JIXIAO_BENCH_ONE=CONTESTANT:N")?;
    let dir = cfg.corpus.join(format!("n{n}"));
    let files = files_in(&dir)?;
    let scratch = tempfile::tempdir()?;
    let count: usize = match what {
        "read-floor" => on_threads(&files, 1, |_, f| read_floor(f))?,
        "write-floor" => {
            let plans = files
                .iter()
                .map(|f| write_plan(f))
                .collect::<Result<Vec<_>>>()?;
            on_threads(&plans, 1, |i, p| {
                write_floor(p, &scratch.path().join(format!("{i}.xlsx")))
            })?
        }
        "import" => files
            .iter()
            .map(|f| Ok(jixiao::read::read_file(f)?.tables.len()))
            .sum::<Result<usize>>()?,
        "convert" => {
            let jobs = batch::plan_jobs(std::slice::from_ref(&dir), &files, scratch.path())?;
            let opts = jixiao::write::Options::default();
            let read = jixiao::read::ReadOptions::default();
            jobs.iter()
                .map(|j| Ok(batch::convert_file(j, &read, &opts, &jixiao::check::check)?.tables))
                .sum::<Result<usize>>()?
        }
        _ => bail!("JIXIAO_BENCH_ONE: unknown contestant {what}"),
    };
    eprintln!("{what} on {} files: {count}", files.len());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Running

/// CPU time of the calling thread, in seconds (`CLOCK_THREAD_CPUTIME_ID`, nanoseconds; the
/// schedstat file only moves at scheduler ticks).
fn thread_cpu() -> f64 {
    cpu_clock(ClockId::CLOCK_THREAD_CPUTIME_ID)
}

/// CPU time of the whole process, every thread that ever ran included, in seconds.
fn process_cpu() -> f64 {
    cpu_clock(ClockId::CLOCK_PROCESS_CPUTIME_ID)
}

fn cpu_clock(id: ClockId) -> f64 {
    clock_gettime(id).map_or(f64::NAN, |t| t.tv_sec() as f64 + t.tv_nsec() as f64 * 1e-9)
}

/// Runs `f` over `items` on `threads` threads (1 = on this thread, no pool).
fn on_threads<T: Sync>(
    items: &[T],
    threads: usize,
    f: impl Fn(usize, &T) -> Result<usize> + Sync + Send,
) -> Result<usize> {
    if threads == 1 {
        return items.iter().enumerate().map(|(i, x)| f(i, x)).sum();
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    pool.install(|| items.par_iter().enumerate().map(|(i, x)| f(i, x)).sum())
}

/// Runs `f` on each item on this thread: the total count, and each item's CPU seconds. The
/// first item is run once beforehand, untimed, so that no contestant pays for the caches and
/// branch predictors the previous one left cold.
fn each<T>(items: &[T], f: impl Fn(usize, &T) -> Result<usize>) -> Result<(usize, Vec<f64>)> {
    if let Some(first) = items.first() {
        f(0, first)?;
    }
    let mut n = 0;
    let mut cpu = Vec::with_capacity(items.len());
    for (i, x) in items.iter().enumerate() {
        let c0 = thread_cpu();
        n += f(i, x)?;
        cpu.push(thread_cpu() - c0);
    }
    Ok((n, cpu))
}

/// One timed run.
#[derive(Debug, Clone, Copy)]
struct Sample {
    /// Wall seconds.
    wall: f64,
    /// CPU seconds: of this thread for single-threaded runs (what the work costs, whatever the
    /// other builds on the machine do), of the process (or child) otherwise.
    cpu: f64,
    /// Peak memory of a child process, KiB.
    rss_kib: u64,
}

fn run_bin(bin: &Path, args: &[&OsStr]) -> Result<Sample> {
    let start = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("JIXIAO_TIME %U %S %M")
        .arg(bin)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .context("running /usr/bin/time (apt-get install time)")?;
    let wall = start.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("{} {:?} failed: {err}", bin.display(), args);
    }
    let line = err
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("JIXIAO_TIME "))
        .context("no /usr/bin/time line")?;
    let f: Vec<&str> = line.split_whitespace().collect();
    if f.len() != 3 {
        bail!("unexpected /usr/bin/time line: {line}");
    }
    Ok(Sample {
        wall,
        cpu: f[0].parse::<f64>()? + f[1].parse::<f64>()?,
        rss_kib: f[2].parse()?,
    })
}

fn files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| dir.display().to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    v.sort();
    Ok(v)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

const READ_FLOOR: &str = "read floor: calamine, every cell + merges";
const WRITE_FLOOR: &str = "write floor: rust_xlsxwriter, same cells + formats + merges";
const FLOORS: &str = "read + write floors";
const IMPORT: &str = "import (jixiao::read)";
const CONVERT: &str = "convert (jixiao::write::batch)";
const IMPORT_BIN: &str = "jixiao import";
const CONVERT_BIN: &str = "jixiao convert";
const OPENPYXL: &str = "openpyxl load_workbook";

/// Keys of the measurements: (contestant, threads, corpus label).
type Key = (&'static str, usize, String);

struct Bench {
    cfg: Config,
    samples: BTreeMap<Key, Vec<Sample>>,
    /// Single-threaded runs: the CPU seconds of each file, per run.
    per_item: BTreeMap<Key, Vec<Vec<f64>>>,
    scratch: tempfile::TempDir,
    load: Vec<String>,
}

impl Bench {
    fn new(cfg: Config) -> Result<Bench> {
        Ok(Bench {
            cfg,
            samples: BTreeMap::new(),
            per_item: BTreeMap::new(),
            scratch: tempfile::tempdir()?,
            load: vec![load_average()],
        })
    }

    /// Times `f`: single-threaded runs count this thread's CPU time (and `f` returns each
    /// file's), others the process's.
    fn time(&mut self, key: Key, f: impl FnOnce() -> Result<(usize, Vec<f64>)>) -> Result<usize> {
        let single = key.1 == 1;
        let cpu = || if single { thread_cpu() } else { process_cpu() };
        let (c0, start) = (cpu(), Instant::now());
        let (n, items) = f()?;
        let s = Sample {
            wall: start.elapsed().as_secs_f64(),
            cpu: cpu() - c0,
            rss_kib: 0,
        };
        self.samples.entry(key.clone()).or_default().push(s);
        if !items.is_empty() {
            self.per_item.entry(key).or_default().push(items);
        }
        Ok(n)
    }

    fn proc(&mut self, key: Key, args: &[&OsStr]) -> Result<()> {
        let s = run_bin(&self.cfg.bin, args)?;
        self.samples.entry(key).or_default().push(s);
        Ok(())
    }

    fn threads(&self) -> Vec<usize> {
        if self.cfg.cores > 1 {
            vec![1, self.cfg.cores]
        } else {
            vec![1]
        }
    }

    fn run(&mut self) -> Result<()> {
        let mut corpora = Vec::new();
        for &n in &self.cfg.sizes {
            let dir = self.cfg.corpus.join(format!("n{n}"));
            let files = files_in(&dir)?;
            if files.len() != n {
                bail!("{} holds {} workbooks, not {n}", dir.display(), files.len());
            }
            eprintln!("planning the write floor for {n} files…");
            let plans = files
                .iter()
                .map(|f| write_plan(f))
                .collect::<Result<Vec<_>>>()?;
            corpora.push((n, dir, files, plans));
        }
        let stacked: Vec<(usize, PathBuf)> = self
            .cfg
            .stacked
            .iter()
            .map(|&k| (k, self.cfg.corpus.join(format!("stacked/stacked-{k}.xlsx"))))
            .filter(|(_, p)| p.exists())
            .collect();
        let opts = jixiao::write::Options::default();
        let read = jixiao::read::ReadOptions::default();
        let check = &jixiao::check::check;

        for rep in 0..self.cfg.repeats {
            eprintln!(
                "run {}/{} (load {})",
                rep + 1,
                self.cfg.repeats,
                load_average()
            );
            for (n, dir, files, plans) in &corpora {
                let label = format!("N={n}");
                let out = self.scratch.path().join(format!("out-{n}"));
                std::fs::create_dir_all(&out)?;
                let jobs = batch::plan_jobs(std::slice::from_ref(dir), files, &out)?;
                for t in self.threads() {
                    let key = |c| (c, t, label.clone());
                    // jobs 1 runs on this thread, file by file (what read_many/convert_many do
                    // on a pool of one), so that the CPU time of each file can be read.
                    let all = |n| Ok((n, Vec::new()));
                    self.time(key(READ_FLOOR), || {
                        if t == 1 {
                            each(files, |_, f| read_floor(f))
                        } else {
                            all(on_threads(files, t, |_, f| read_floor(f))?)
                        }
                    })?;
                    let write =
                        |i: usize, p: &WritePlan| write_floor(p, &out.join(format!("{i}.xlsx")));
                    self.time(key(WRITE_FLOOR), || {
                        if t == 1 {
                            each(plans, write)
                        } else {
                            all(on_threads(plans, t, write)?)
                        }
                    })?;
                    let tables = self.time(key(IMPORT), || {
                        if t == 1 {
                            each(files, |_, f| Ok(jixiao::read::read_file(f)?.tables.len()))
                        } else {
                            all(jixiao::read::read_many(files, t)
                                .into_iter()
                                .map(|d| Ok(d?.tables.len()))
                                .sum::<Result<usize>>()?)
                        }
                    })?;
                    if tables != 10 * n {
                        bail!("import read {tables} tables from {n} files");
                    }
                    let tables = self.time(key(CONVERT), || {
                        if t == 1 {
                            each(&jobs, |_, j| {
                                Ok(batch::convert_file(j, &read, &opts, check)?.tables)
                            })
                        } else {
                            all(
                                batch::convert_many(&jobs, &read, &opts, t, check, &|_, _| {})
                                    .into_iter()
                                    .map(|r| Ok(r?.tables))
                                    .sum::<Result<usize>>()?,
                            )
                        }
                    })?;
                    if tables != 10 * n {
                        bail!("convert wrote {tables} tables from {n} files");
                    }
                    let jobs_arg = t.to_string();
                    let import: [&OsStr; 4] = [
                        "import".as_ref(),
                        "--jobs".as_ref(),
                        jobs_arg.as_ref(),
                        dir.as_os_str(),
                    ];
                    self.proc(key(IMPORT_BIN), &import)?;
                    let convert: [&OsStr; 6] = [
                        "convert".as_ref(),
                        "--jobs".as_ref(),
                        jobs_arg.as_ref(),
                        dir.as_os_str(),
                        "-o".as_ref(),
                        out.as_os_str(),
                    ];
                    self.proc(key(CONVERT_BIN), &convert)?;
                }
            }
            for (k, path) in &stacked {
                let label = format!("stacked-{k}");
                let one = std::slice::from_ref(path);
                self.time((READ_FLOOR, 1, label.clone()), || {
                    each(one, |_, f| read_floor(f))
                })?;
                let tables = self.time((IMPORT, 1, label.clone()), || {
                    each(one, |_, f| Ok(jixiao::read::read_file(f)?.tables.len()))
                })?;
                if tables != *k {
                    bail!("import read {tables} tables from {}", path.display());
                }
            }
        }

        for (n, _, files, _) in &corpora {
            if !self.cfg.openpyxl_sizes.contains(n) {
                continue;
            }
            eprintln!("openpyxl loading {n} files…");
            let out = Command::new("python3")
                .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/openpyxl_load.py"))
                .args(files)
                .output()?;
            if !out.status.success() {
                bail!("openpyxl: {}", String::from_utf8_lossy(&out.stderr));
            }
            let text = String::from_utf8_lossy(&out.stdout);
            let mut f = text.split_whitespace().map(str::parse::<f64>);
            let (Some(Ok(wall)), Some(Ok(cpu))) = (f.next(), f.next()) else {
                bail!("openpyxl printed {text:?}");
            };
            self.samples
                .entry((OPENPYXL, 1, format!("N={n}")))
                .or_default()
                .push(Sample {
                    wall,
                    cpu,
                    rss_kib: 0,
                });
        }
        self.load.push(load_average());
        Ok(())
    }

    /// The best run of a contestant: the least CPU for single-threaded in-process runs, the
    /// least wall time otherwise.
    fn best(&self, c: &'static str, t: usize, label: &str) -> Option<Sample> {
        let by_cpu = t == 1 && ![IMPORT_BIN, CONVERT_BIN, OPENPYXL].contains(&c);
        let v = self.samples.get(&(c, t, label.to_string()))?;
        let score = |s: &Sample| if by_cpu { s.cpu } else { s.wall };
        v.iter()
            .copied()
            .reduce(|a, b| if score(&b) < score(&a) { b } else { a })
    }

    /// Single-threaded CPU seconds: the sum over files of each file's least CPU time over the
    /// runs (a burst of other work on the machine spoils one file of one run, not the figure).
    fn cpu(&self, c: &'static str, label: &str) -> Option<f64> {
        if c == FLOORS {
            return Some(self.cpu(READ_FLOOR, label)? + self.cpu(WRITE_FLOOR, label)?);
        }
        if let Some(runs) = self.per_item.get(&(c, 1, label.to_string())) {
            let files = runs.first()?.len();
            if runs.iter().all(|r| r.len() == files) {
                let min = |i: usize| runs.iter().map(|r| r[i]).fold(f64::INFINITY, f64::min);
                return Some((0..files).map(min).sum());
            }
        }
        self.best(c, 1, label).map(|s| s.cpu)
    }

    fn wall(&self, c: &'static str, t: usize, label: &str) -> Option<f64> {
        if c == FLOORS {
            return Some(self.wall(READ_FLOOR, t, label)? + self.wall(WRITE_FLOOR, t, label)?);
        }
        self.best(c, t, label).map(|s| s.wall)
    }

    fn labels(&self) -> Vec<String> {
        self.cfg.sizes.iter().map(|n| format!("N={n}")).collect()
    }

    fn report(&self) {
        let labels = self.labels();
        let cores = self.cfg.cores;
        println!(
            "Best of {} interleaved runs; load average {} before, {} after.\n",
            self.cfg.repeats,
            self.load.first().map_or("?", String::as_str),
            self.load.last().map_or("?", String::as_str)
        );

        println!(
            "## Single-threaded (jobs 1): CPU ms (each file's least over the runs, summed), × its floor\n"
        );
        let mut head = String::from("| contestant |");
        let mut rule = String::from("|---|");
        for l in &labels {
            head += &format!(" {l} |");
            rule += "---:|";
        }
        println!("{head} ms per file (largest N) |\n{rule}---:|");
        for c in [READ_FLOOR, WRITE_FLOOR, FLOORS, IMPORT, CONVERT] {
            let floor = match c {
                IMPORT => Some(READ_FLOOR),
                CONVERT => Some(FLOORS),
                _ => None,
            };
            let mut line = format!("| {c} |");
            for l in &labels {
                let x = self.cpu(c, l);
                let r = floor.and_then(|f| Some(x? / self.cpu(f, l)?));
                line += &match (x, r) {
                    (Some(x), Some(r)) => format!(" {:.1} ({r:.2}×) |", x * 1e3),
                    (Some(x), None) => format!(" {:.1} |", x * 1e3),
                    _ => " — |".into(),
                };
            }
            let per_file = labels
                .last()
                .and_then(|l| self.cpu(c, l))
                .zip(self.cfg.sizes.last())
                .map(|(x, n)| x / *n as f64);
            line += &per_file.map_or_else(|| " — |".into(), |x| format!(" {:.2} |", x * 1e3));
            println!("{line}");
        }
        println!();

        if cores > 1 {
            println!(
                "## All cores (jobs {cores}): wall ms, speed-up over jobs 1, process CPU / wall\n"
            );
            println!("{head}\n{rule}");
            for c in [READ_FLOOR, WRITE_FLOOR, IMPORT, CONVERT] {
                let mut line = format!("| {c} |");
                for l in &labels {
                    line += &match (self.best(c, cores, l), self.wall(c, 1, l)) {
                        (Some(s), Some(one)) => format!(
                            " {:.1} ({:.2}×, CPU/wall {:.2}) |",
                            s.wall * 1e3,
                            one / s.wall,
                            s.cpu / s.wall
                        ),
                        _ => " — |".into(),
                    };
                }
                println!("{line}");
            }
            println!();
        }

        println!("## End to end: the release binary and openpyxl (wall ms, CPU s, peak memory)\n");
        println!(
            "| command | N | wall ms | CPU s | CPU / wall | max RSS MiB | openpyxl load ÷ this |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|");
        for c in [IMPORT_BIN, CONVERT_BIN] {
            for t in self.threads() {
                for (n, l) in self.cfg.sizes.iter().zip(&labels) {
                    let Some(s) = self.best(c, t, l) else {
                        continue;
                    };
                    let vs = self
                        .wall(OPENPYXL, 1, l)
                        .map_or_else(|| "—".into(), |o| format!("{:.0}×", o / s.wall));
                    println!(
                        "| {c} --jobs {t} | {n} | {:.1} | {:.2} | {:.2} | {:.1} | {vs} |",
                        s.wall * 1e3,
                        s.cpu,
                        s.cpu / s.wall,
                        s.rss_kib as f64 / 1024.0
                    );
                }
            }
        }
        for (n, l) in self.cfg.sizes.iter().zip(&labels) {
            if let Some(s) = self.best(OPENPYXL, 1, l) {
                println!(
                    "| openpyxl load_workbook (in-script) | {n} | {:.1} | {:.2} | {:.2} | | |",
                    s.wall * 1e3,
                    s.cpu,
                    s.cpu / s.wall
                );
            }
        }
        println!();

        println!("## One sheet of K stacked tables (jobs 1, CPU ms)\n");
        println!("| K | read floor | import | import per table | × read floor |");
        println!("|---:|---:|---:|---:|---:|");
        for &k in &self.cfg.stacked {
            let l = format!("stacked-{k}");
            if let (Some(f), Some(i)) = (self.cpu(READ_FLOOR, &l), self.cpu(IMPORT, &l)) {
                println!(
                    "| {k} | {:.1} | {:.1} | {:.3} | {:.2}× |",
                    f * 1e3,
                    i * 1e3,
                    i * 1e3 / k as f64,
                    i / f
                );
            }
        }
        println!();

        self.targets();
    }

    fn targets(&self) {
        let cores = self.cfg.cores;
        let labels = self.labels();
        let mark = |ok: bool| if ok { "met" } else { "**missed**" };
        println!("## Targets\n");
        println!("| target | measured | |");
        println!("|---|---|---|");
        for l in &labels {
            if let (Some(i), Some(f)) = (self.cpu(IMPORT, l), self.cpu(READ_FLOOR, l)) {
                let r = i / f;
                println!(
                    "| import, jobs 1, ≤ 1.5 × read floor ({l}) | {r:.2}× | {} |",
                    mark(r <= 1.5)
                );
            }
        }
        for l in &labels {
            if let (Some(c), Some(f)) = (self.cpu(CONVERT, l), self.cpu(FLOORS, l)) {
                let r = c / f;
                println!(
                    "| convert, jobs 1, ≤ 2 × (read + write floors) ({l}) | {r:.2}× | {} |",
                    mark(r <= 2.0)
                );
            }
        }
        let l = "N=100";
        if let Some(op) = self.wall(OPENPYXL, 1, l) {
            for (c, want) in [(CONVERT_BIN, 25.0), (IMPORT_BIN, 60.0)] {
                if let Some(x) = self.wall(c, cores, l) {
                    println!(
                        "| `{c}` (jobs {cores}, end to end) ≥ {want}× faster than openpyxl load ({l}) | {:.0}× | {} |",
                        op / x,
                        mark(op / x >= want)
                    );
                }
            }
        }
        if let (Some(a), Some(b)) = (self.cfg.sizes.first(), self.cfg.sizes.last()) {
            for c in [IMPORT, CONVERT] {
                let per = |n: &usize| self.cpu(c, &format!("N={n}")).map(|s| s / *n as f64);
                if let (Some(pa), Some(pb)) = (per(a), per(b)) {
                    println!(
                        "| {c}: linear in files, CPU per file at N={b} ÷ at N={a} ≤ 1.2 | {:.2} | {} |",
                        pb / pa,
                        mark(pb / pa <= 1.2)
                    );
                }
            }
        }
        let stacked: Vec<(usize, f64)> = self
            .cfg
            .stacked
            .iter()
            .filter_map(|&k| {
                self.cpu(IMPORT, &format!("stacked-{k}"))
                    .map(|s| (k, s / k as f64))
            })
            .collect();
        if let (Some(a), Some(b)) = (stacked.first(), stacked.last()) {
            println!(
                "| import: linear in tables, CPU per table at K={} ÷ at K={} ≤ 1.2 | {:.2} | {} |",
                b.0,
                a.0,
                b.1 / a.1,
                mark(b.1 / a.1 <= 1.2)
            );
        }
        let big = labels.last().cloned().unwrap_or_default();
        for c in [IMPORT_BIN, CONVERT_BIN] {
            if cores > 1 {
                if let (Some(s), Some(one)) = (self.best(c, cores, &big), self.wall(c, 1, &big)) {
                    println!(
                        "| `{c} --jobs {cores}` uses both cores ({big}): CPU / wall ≥ 1.8 | {:.2} (speed-up over jobs 1: {:.2}×) | {} |",
                        s.cpu / s.wall,
                        one / s.wall,
                        mark(s.cpu / s.wall >= 1.8)
                    );
                }
            }
            let rss = |n: &usize| {
                self.best(c, cores, &format!("N={n}"))
                    .map(|s| s.rss_kib as f64 / 1024.0)
            };
            if let (Some(a), Some(b)) = (self.cfg.sizes.first(), self.cfg.sizes.last()) {
                if let (Some(ra), Some(rb)) = (rss(a), rss(b)) {
                    println!(
                        "| `{c} --jobs {cores}`: peak memory flat in files, max RSS at N={b} ÷ at N={a} ≤ 1.5 | {rb:.1} ÷ {ra:.1} MiB = {:.2} | {} |",
                        rb / ra,
                        mark(rb / ra <= 1.5)
                    );
                }
            }
        }
        println!();
    }
}
