//! Shared helpers: sample paths, the seed truth, and comparisons.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use jixiao::model::{Document, Table};

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A sample file by name.
pub fn sample(name: &str) -> PathBuf {
    root().join("samples").join(name)
}

/// The seed's ten tables, transcribed by hand (`tests/data/seed-truth.json`).
pub fn truth() -> Document {
    let text = std::fs::read_to_string(root().join("tests/data/seed-truth.json"))
        .expect("seed truth is readable");
    serde_json::from_str(&text).expect("seed truth parses into the model")
}

/// Reads a sample, panicking with the error text if it fails.
pub fn read(path: &Path) -> Document {
    jixiao::read_file(path).unwrap_or_else(|e| panic!("{e}"))
}

/// The file name relative to the crate root with `/` between its parts, for snapshots that
/// read the same on every platform (on Windows `insta::glob!` hands out `\\?\C:\…` paths).
pub fn rel(path: &Path) -> String {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let Ok(relative) = path
        .strip_prefix(root())
        .map(Path::to_path_buf)
        .or_else(|_| {
            canonical(path)
                .strip_prefix(canonical(&root()))
                .map(Path::to_path_buf)
        })
    else {
        return path.display().to_string();
    };
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The canonical (classic) spelling of an indicator's first and second level, so that tables
/// in the newer layout compare with the seed.
pub fn canonical_levels(t: &Table, i: usize) -> (String, String) {
    use jixiao::model::IndicatorClass as C;
    let ind = &t.indicators[i];
    let (l1, l2) = match ind.class {
        C::Quantity => ("产出指标", "数量指标"),
        C::Quality => ("产出指标", "质量指标"),
        C::Timeliness => ("产出指标", "时效指标"),
        C::Cost => ("产出指标", "成本指标"),
        C::Economic => ("效益指标", "经济效益"),
        C::Social => ("效益指标", "社会效益"),
        C::Ecological => ("效益指标", "生态效益"),
        C::Sustainable => ("效益指标", "可持续影响"),
        C::Satisfaction => ("满意度指标", "服务对象满意度"),
        _ => return (ind.level1.clone(), ind.level2.clone()),
    };
    (l1.to_string(), l2.to_string())
}

/// Each indicator of a table as it reads: (一级, 二级, 三级, the value as typed). What a form
/// read again, or a generated form read, must keep.
pub fn indicator_rows(t: &Table) -> Vec<(String, String, String, String)> {
    t.indicators
        .iter()
        .map(|i| {
            (
                i.level1.clone(),
                i.level2.clone(),
                i.name.clone(),
                i.value.raw.clone(),
            )
        })
        .collect()
}

/// LibreOffice's binary for the print-rendering tests. When it is missing: under `CI=true` the
/// test fails (CI must have it); elsewhere a skip line goes straight to the terminal (not
/// captured by the test harness, so `cargo test` shows it) and the test returns early.
pub fn soffice_or_skip(test: &str) -> Option<&'static str> {
    tool_or_skip(test, &["soffice", "libreoffice"], "LibreOffice (soffice)")
}

/// `soffice --headless --convert-to FORMAT` of `files` into `outdir`, with its own user profile
/// in `profile` (so that runs in parallel do not share one): asserts that LibreOffice succeeded,
/// with its output in the message.
pub fn soffice_convert(
    soffice: &str,
    format: &str,
    files: &[&Path],
    outdir: &Path,
    profile: &Path,
) {
    let run = std::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(outdir)
        .args(files)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("soffice runs: {e}"));
    assert!(
        run.status.success(),
        "soffice --convert-to {format}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Gnumeric's converter (`ssconvert`), a second writer of xls and ods, as [`soffice_or_skip`].
pub fn ssconvert_or_skip(test: &str) -> Option<&'static str> {
    tool_or_skip(test, &["ssconvert"], "Gnumeric (ssconvert)")
}

/// The first of `names` found on PATH; when none is: a failure under `CI=true`, else a skip
/// line on the terminal and `None`.
fn tool_or_skip(test: &str, names: &[&'static str], what: &str) -> Option<&'static str> {
    let found = names.iter().copied().find(|b| {
        std::env::var_os("PATH").is_some_and(|paths| {
            std::env::split_paths(&paths)
                .any(|d| d.join(b).is_file() || d.join(format!("{b}.exe")).is_file())
        })
    });
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        assert!(
            !ci,
            "{test}: {what} is not installed, and CI needs it for this test"
        );
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: {what} is not installed (in CI this fails)"
        );
    }
    found
}

/// The generated families' tally (family.rs, family_shapes.rs, family_department.rs): how many
/// workbooks read exactly and drew no false alarm, and what failed.
#[derive(Debug, Default)]
pub struct Tally {
    /// Workbooks judged.
    pub n: usize,
    /// Of these, read exactly.
    pub exact: usize,
    /// Of these, without an error or a warning.
    pub quiet: usize,
    /// One entry per failing workbook held to reading exactly: its name, differences, alarms.
    pub failures: Vec<String>,
}

impl Tally {
    /// Reads one generated workbook, compares its tables with their truths (`differences`
    /// names what one table got wrong) and checks it; counts it, and when it fails and `held`
    /// (its shape is one the reader must take), keeps the failure and writes the workbook to
    /// `JIXIAO_FAMILY_DUMP` when set.
    pub fn judge<W>(
        &mut self,
        name: &str,
        bytes: &[u8],
        wants: &[W],
        held: bool,
        differences: impl Fn(&W, &Table) -> Vec<String>,
    ) {
        let (diffs, alarms) = match jixiao::read_bytes(Path::new(name), bytes) {
            Err(e) => (vec![format!("refused: {e}")], Vec::new()),
            Ok(doc) => {
                let diffs = if doc.tables.len() == wants.len() {
                    wants
                        .iter()
                        .zip(&doc.tables)
                        .enumerate()
                        .flat_map(|(k, (w, t))| {
                            differences(w, t)
                                .into_iter()
                                .map(move |d| format!("table {}: {d}", k + 1))
                        })
                        .collect()
                } else {
                    vec![format!(
                        "{} tables read ({}), want {}",
                        doc.tables.len(),
                        doc.tables
                            .iter()
                            .map(|t| t.project.name.as_str())
                            .collect::<Vec<_>>()
                            .join(" / "),
                        wants.len()
                    )]
                };
                (diffs, alarms(&doc))
            }
        };
        self.n += 1;
        self.exact += usize::from(diffs.is_empty());
        self.quiet += usize::from(alarms.is_empty());
        if (!diffs.is_empty() || !alarms.is_empty()) && held {
            if let Some(dir) = std::env::var_os("JIXIAO_FAMILY_DUMP").map(PathBuf::from) {
                std::fs::create_dir_all(&dir).expect("dump folder");
                std::fs::write(dir.join(name), bytes).expect("dump written");
            }
            self.failures.push(format!(
                "{name}:\n  {}",
                [diffs, alarms].concat().join("\n  ")
            ));
        }
    }

    /// `x/N read exactly, y/N without a false alarm`.
    pub fn figures(&self) -> String {
        let n = self.n;
        format!(
            "{}/{n} read exactly, {}/{n} without a false alarm",
            self.exact, self.quiet
        )
    }
}

/// The errors and warnings the checker draws on a document: a correct table draws none.
pub fn alarms(doc: &Document) -> Vec<String> {
    jixiao::check(doc)
        .into_iter()
        .filter(|x| x.severity != jixiao::model::Severity::Info)
        .map(|x| format!("{:?} {} {:?} {}", x.severity, x.rule, x.cell, x.message))
        .collect()
}

/// How many workbooks a generated family draws: the environment variable's number, else
/// `default`.
pub fn family_size(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Collects `what: got …, want …` lines for the fields that differ.
#[derive(Debug, Default)]
pub struct Diffs(pub Vec<String>);

impl Diffs {
    /// Notes `what` when `got` differs from `want`.
    pub fn same(&mut self, what: &str, got: impl std::fmt::Debug, want: impl std::fmt::Debug) {
        let (g, w) = (format!("{got:?}"), format!("{want:?}"));
        if g != w {
            self.0.push(format!("{what}: got {g}, want {w}"));
        }
    }
}

/// A generated family's tally: per kind, how many tables were drawn and how many read
/// exactly, and each failure (its workbook dumped to `JIXIAO_FAMILY_DUMP` when set).
#[derive(Default)]
pub struct FamilyTally {
    by_kind: std::collections::BTreeMap<String, (usize, usize)>,
    failures: Vec<String>,
}

impl FamilyTally {
    /// Counts one table of `kind`, named `name`, written as `bytes`, with its `diffs`.
    pub fn record(&mut self, kind: &str, name: &str, bytes: &[u8], diffs: Vec<String>) {
        let tally = self.by_kind.entry(kind.to_string()).or_default();
        tally.0 += 1;
        tally.1 += usize::from(diffs.is_empty());
        if !diffs.is_empty() {
            if let Some(dir) = std::env::var_os("JIXIAO_FAMILY_DUMP").map(std::path::PathBuf::from)
            {
                std::fs::create_dir_all(&dir).expect("dump folder");
                std::fs::write(dir.join(name), bytes).expect("dump written");
            }
            self.failures
                .push(format!("{name}:\n  {}", diffs.join("\n  ")));
        }
    }

    /// Fails with the figures per kind and every failure unless every table read exactly.
    pub fn assert_all_exact(self) {
        let figures: Vec<String> = self
            .by_kind
            .iter()
            .map(|(k, (n, exact))| format!("{k}: {exact}/{n} read exactly"))
            .collect();
        assert!(
            self.failures.is_empty(),
            "{}\n{}",
            figures.join("; "),
            self.failures.join("\n")
        );
    }
}
