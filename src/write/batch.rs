//! Files to files: `OUTDIR/<input stem>.xlsx` per input, never clobbering an input.
//!
//! [`plan_jobs`] names the outputs (from the input file names, never from cell text; inputs
//! sharing a stem get their extension added, then a number) and refuses an output directory
//! that is, or lies inside, an input directory, or an output that would replace an input.
//! [`convert_many`] reads, checks, renders and saves each input in parallel; one broken input
//! never stops the others, and each output is written atomically ([`super::save_atomic`]).

use std::collections::{HashMap, HashSet};

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Document, Finding};
use crate::read::ReadOptions;

use super::{render, save_atomic, Options, SeverityCounts};

/// One conversion: an input file and the workbook it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The input, as found.
    pub input: PathBuf,
    /// The output path in OUTDIR.
    pub output: PathBuf,
}

/// What converting one file gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The input.
    pub input: PathBuf,
    /// The workbook written.
    pub output: PathBuf,
    /// Tables converted.
    pub tables: usize,
    /// Findings listed in its 问题清单.
    pub findings: SeverityCounts,
    /// The read-back differences ([`super::readback`]), one sentence each naming the table:
    /// what the written workbook does not say as the model (or the source) did.
    pub readback: Vec<String>,
}

/// Output paths (relative to OUTDIR) for the inputs' relative paths, in order: the same
/// folders, `<stem>.xlsx`; inputs of one folder that share a stem (ignoring case) get their
/// extension too (`报表-xls.xlsx`, `报表-xlsx.xlsx`), and any name still taken a number
/// (`报表-xls-2.xlsx`).
pub(crate) fn output_names(rels: &[PathBuf]) -> Vec<PathBuf> {
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "输出".to_string())
    };
    let folder = |p: &Path| {
        p.parent()
            .map(|d| d.to_string_lossy().to_lowercase())
            .unwrap_or_default()
    };
    let key = |p: &Path| (folder(p), stem(p).to_lowercase());
    let mut per_stem: HashMap<(String, String), usize> = HashMap::new();
    for f in rels {
        *per_stem.entry(key(f)).or_default() += 1;
    }
    let mut used: HashSet<(String, String)> = HashSet::new();
    let mut out = Vec::with_capacity(rels.len());
    for f in rels {
        let s = stem(f);
        let base = if per_stem[&key(f)] > 1 {
            match f.extension().map(|e| e.to_string_lossy().to_lowercase()) {
                Some(ext) if !ext.is_empty() => format!("{s}-{ext}"),
                _ => s,
            }
        } else {
            s
        };
        let mut name = format!("{base}.xlsx");
        let mut n = 2;
        while used.contains(&(folder(f), name.to_lowercase())) {
            name = format!("{base}-{n}.xlsx");
            n += 1;
        }
        used.insert((folder(f), name.to_lowercase()));
        out.push(match f.parent() {
            Some(d) => d.join(name),
            None => PathBuf::from(name),
        });
    }
    out
}

fn canonical(p: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(p).map_err(|source| Error::Io {
        path: p.to_path_buf(),
        source,
    })
}

/// The absolute form of a path that may not exist yet: its deepest existing ancestor
/// resolved, the rest appended.
fn resolve(p: &Path) -> Result<PathBuf> {
    let absolute = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|source| Error::Io {
                path: p.to_path_buf(),
                source,
            })?
            .join(p)
    };
    let mut rest = Vec::new();
    let mut base = absolute.as_path();
    loop {
        if let Ok(c) = std::fs::canonicalize(base) {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return Ok(out);
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return Ok(absolute),
        }
    }
}

/// Where each file sits below the command-line input that named it: a file given by name is
/// its file name; a file found in a directory keeps its path below that directory, with the
/// directory's own name first when several inputs were given (so that `部门A/ 部门B/`
/// keep apart).
fn relative_paths(inputs: &[PathBuf], files: &[PathBuf]) -> Vec<PathBuf> {
    let dirs: Vec<&PathBuf> = inputs.iter().filter(|p| p.is_dir()).collect();
    let several = inputs.len() > 1;
    files
        .iter()
        .map(|f| {
            for d in &dirs {
                if let Ok(below) = f.strip_prefix(d) {
                    if several {
                        let own = std::fs::canonicalize(d)
                            .ok()
                            .and_then(|c| c.file_name().map(PathBuf::from))
                            .unwrap_or_default();
                        return own.join(below);
                    }
                    return below.to_path_buf();
                }
            }
            f.file_name().map_or_else(|| f.clone(), PathBuf::from)
        })
        .collect()
}

/// Plans the conversions of `files` (found under the command-line `inputs`) into `outdir`,
/// which need not exist yet (nothing is created here): each output mirrors its input's
/// folders below the input directory (`部门A/绩效表.xlsx` → `OUTDIR/部门A/绩效表.xlsx`).
///
/// # Errors
/// [`Error::Usage`] when `outdir` is an existing file or looks like a file name (`out.xlsx`),
/// is or lies inside an input directory (outputs would mix with the inputs and be read as
/// inputs next time), or is the directory of an input file (an output could replace it or its
/// neighbours); [`Error::Io`] when a path cannot be resolved.
pub fn plan_jobs(inputs: &[PathBuf], files: &[PathBuf], outdir: &Path) -> Result<Vec<Job>> {
    if outdir.is_file() {
        return Err(Error::Usage(format!(
            "-o {} 是一个已有的文件；-o 应指定输出目录（每个输入文件在其中生成一个工作簿），如 -o 整理后/",
            outdir.display()
        )));
    }
    let looks_like_file = outdir.extension().is_some_and(|e| {
        let e = e.to_string_lossy().to_lowercase();
        crate::read::EXTENSIONS.contains(&e.as_str()) || e == "pdf" || e == "csv"
    });
    if looks_like_file && !outdir.exists() {
        return Err(Error::Usage(format!(
            "-o {} 看起来是文件名；-o 应指定输出目录（每个输入文件在其中生成一个工作簿），如 -o 整理后/",
            outdir.display()
        )));
    }
    let out = resolve(outdir)?;
    for input in inputs.iter().filter(|p| p.is_dir()) {
        let dir = canonical(input)?;
        if out == dir || out.starts_with(&dir) {
            return Err(Error::Usage(format!(
                "输出目录 {} 位于输入目录 {} 之中：转换结果会与原文件混在一起，下次转换时还会被当作输入读取。请指定输入目录以外的输出目录",
                outdir.display(),
                input.display()
            )));
        }
    }
    let canon_inputs: Vec<PathBuf> = files.iter().map(|f| canonical(f)).collect::<Result<_>>()?;
    if let Some((f, _)) = files
        .iter()
        .zip(&canon_inputs)
        .find(|(_, c)| c.parent() == Some(out.as_path()))
    {
        return Err(Error::Usage(format!(
            "输出目录 {} 就是输入文件 {} 所在的目录：转换结果可能覆盖同名的原文件。请指定另一个输出目录",
            outdir.display(),
            f.display()
        )));
    }
    let names = output_names(&relative_paths(inputs, files));
    let jobs = files
        .iter()
        .zip(names)
        .map(|(f, name)| Job {
            input: f.clone(),
            output: outdir.join(name),
        })
        .collect();
    Ok(jobs)
}

/// Reads (with `read`), checks, renders and saves one input. `findings` gives the findings to
/// list for a document (the checker's, which include the reader's notices).
///
/// # Errors
/// When the input cannot be read, or the output cannot be written (nothing is left behind).
pub fn convert_file(
    job: &Job,
    read: &ReadOptions,
    opts: &Options,
    findings: &(dyn Fn(&Document) -> Vec<Finding> + Sync),
) -> Result<FileReport> {
    let mut doc = crate::read::read_file_with(&job.input, read)?;
    let listed = findings(&doc);
    // The suggested review grade of each table, from the checker's findings (汇总 shows it).
    crate::check::grade(&mut doc, &listed);
    let mut rendered = render(&doc, &listed, opts)?;
    // Every number typed in a source table's range must appear in its form.
    let missing = missing_numbers(job, &doc, &rendered, opts);
    if !missing.is_empty() {
        let mut all = listed.clone();
        all.extend(missing);
        rendered = render(&doc, &all, opts)?;
    }
    let readback = rendered
        .findings
        .iter()
        .filter(|l| l.finding.rule == super::readback::RULE)
        .map(|l| {
            let f = &l.finding;
            let table = f
                .table
                .and_then(|i| doc.tables.get(i))
                .map_or("", |t| t.display_name());
            format!("“{table}”：{}", f.message)
        })
        .collect();
    if let Some(dir) = job.output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::write_io(dir, &e))?;
    }
    save_atomic(&job.output, &rendered.bytes)?;
    Ok(FileReport {
        input: job.input.clone(),
        output: job.output.clone(),
        tables: doc.tables.len(),
        findings: rendered.counts(),
        readback,
    })
}

/// The numbers of the source tables missing from their forms, as `write.readback` findings.
/// In a forced layout, the source cells it lists as dropped (`write.extra-dropped`) are left
/// out, and only those.
fn missing_numbers(
    job: &Job,
    doc: &Document,
    rendered: &super::Rendered,
    opts: &Options,
) -> Vec<Finding> {
    use crate::read::grid;
    let Ok(bytes) = std::fs::read(&job.input) else {
        return Vec::new();
    };
    let sources = grid::sniff(&job.input, &bytes)
        .and_then(|f| grid::load_sheets(&job.input, &bytes, f))
        .unwrap_or_default();
    let written = grid::load_sheets(Path::new("回读.xlsx"), &rendered.bytes, grid::Format::Xlsx)
        .unwrap_or_default();
    let mut out = Vec::new();
    for (i, t) in doc.tables.iter().enumerate() {
        // What a forced layout lists as dropped is not looked for; every other number is.
        let dropped = opts
            .layout
            .map(|l| super::dropped_cells(t, l))
            .unwrap_or_default();
        let src = sources.iter().find(|s| s.name == t.source.sheet);
        let form = rendered
            .sheets
            .get(i)
            .and_then(|name| written.iter().find(|s| &s.name == name));
        if let (Some(src), Some(form)) = (src, form) {
            out.extend(
                super::readback::missing_number_differences(i, src, t, form, &dropped)
                    .iter()
                    .map(|d| d.finding(t)),
            );
        }
    }
    out
}

/// Converts every job on `threads` threads (0 = one per core), calling `done` as each one
/// finishes (for a progress bar). Results come back in job order.
pub fn convert_many(
    jobs: &[Job],
    read: &ReadOptions,
    opts: &Options,
    threads: usize,
    findings: &(dyn Fn(&Document) -> Vec<Finding> + Sync),
    done: &(dyn Fn(&Job, &Result<FileReport>) + Sync),
) -> Vec<Result<FileReport>> {
    use rayon::prelude::*;
    let one = |job: &Job| {
        let r = convert_file(job, read, opts, findings);
        done(job, &r);
        r
    };
    let run = || jobs.par_iter().map(one).collect::<Vec<_>>();
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(run),
        Err(_) => jobs.iter().map(one).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(v: &[&str]) -> Vec<PathBuf> {
        v.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn names_come_from_stems_and_stay_unique() {
        let names = output_names(&paths(&[
            "报表.xlsx",
            "报表.xls",
            "报表.xls",
            "其他.ods",
            "其他.XLSX.bak",
            "ABC.xlsx",
            "abc.xlsb",
        ]));
        assert_eq!(
            names,
            paths(&[
                "报表-xlsx.xlsx",
                "报表-xls.xlsx",
                "报表-xls-2.xlsx",
                "其他.xlsx",
                "其他.XLSX.xlsx",
                "ABC-xlsx.xlsx",
                "abc-xlsb.xlsx",
            ])
        );
    }

    #[test]
    fn outputs_mirror_the_input_folders() {
        let names = output_names(&paths(&[
            "部门A/绩效表.xlsx",
            "部门B/绩效表.xlsx",
            "部门B/绩效表.xls",
            "部门B/下级/绩效表.et",
            "汇总.xlsx",
        ]));
        assert_eq!(
            names,
            paths(&[
                "部门A/绩效表.xlsx",
                "部门B/绩效表-xlsx.xlsx",
                "部门B/绩效表-xls.xlsx",
                "部门B/下级/绩效表.xlsx",
                "汇总.xlsx",
            ])
        );
    }

    #[test]
    fn refuses_outdir_inside_an_input_dir_and_outputs_over_inputs() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let input_dir = tmp.path().join("in");
        let inner = input_dir.join("out");
        std::fs::create_dir_all(&inner).unwrap_or_else(|e| panic!("{e}"));
        let file = input_dir.join("表.xlsx");
        std::fs::write(&file, b"x").unwrap_or_else(|e| panic!("{e}"));
        let inputs = vec![input_dir.clone()];
        let files = vec![file.clone()];
        // Also a folder that does not exist yet: decided before anything is created.
        let not_yet = input_dir.join("新").join("深");
        for out in [&input_dir, &inner, &not_yet] {
            let e = plan_jobs(&inputs, &files, out);
            assert!(matches!(e, Err(Error::Usage(_))), "{e:?}");
        }
        assert!(!input_dir.join("新").exists());
        // An existing file, or a name that looks like one, is not an output folder.
        for out in [file.clone(), tmp.path().join("out.xlsx")] {
            let e = plan_jobs(&inputs, &files, &out);
            assert!(
                matches!(&e, Err(Error::Usage(m)) if m.contains("输出目录")),
                "{e:?}"
            );
        }
        // Naming the file (not the directory) with OUTDIR its own directory: its output
        // would land beside it, over it for an input named 表.xlsx.
        let e = plan_jobs(&files, &files, &input_dir);
        assert!(matches!(e, Err(Error::Usage(_))), "{e:?}");
        // A separate directory is fine, even one that contains the input directory.
        let jobs = plan_jobs(&inputs, &files, tmp.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(jobs[0].output, tmp.path().join("表.xlsx"));
    }
}
