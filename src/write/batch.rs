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
}

/// Output file names for the inputs, in order: `<stem>.xlsx`; inputs that share a stem
/// (ignoring case) get their extension too (`报表-xls.xlsx`, `报表-xlsx.xlsx`), and any name
/// still taken a number (`报表-xls-2.xlsx`).
pub fn output_names(files: &[PathBuf]) -> Vec<String> {
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "输出".to_string())
    };
    let mut per_stem: HashMap<String, usize> = HashMap::new();
    for f in files {
        *per_stem.entry(stem(f).to_lowercase()).or_default() += 1;
    }
    let mut used: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let s = stem(f);
        let base = if per_stem[&s.to_lowercase()] > 1 {
            match f.extension().map(|e| e.to_string_lossy().to_lowercase()) {
                Some(ext) if !ext.is_empty() => format!("{s}-{ext}"),
                _ => s,
            }
        } else {
            s
        };
        let mut name = format!("{base}.xlsx");
        let mut n = 2;
        while used.contains(&name.to_lowercase()) {
            name = format!("{base}-{n}.xlsx");
            n += 1;
        }
        used.insert(name.to_lowercase());
        out.push(name);
    }
    out
}

fn canonical(p: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(p).map_err(|source| Error::Io {
        path: p.to_path_buf(),
        source,
    })
}

/// Plans the conversions of `files` (found under the command-line `inputs`) into `outdir`,
/// which must exist.
///
/// # Errors
/// [`Error::Usage`] when `outdir` is or lies inside an input directory (outputs would mix
/// with the inputs and be read as inputs next time), or is the directory of an input file
/// (an output could replace it or its neighbours); [`Error::Io`] when a path cannot be
/// resolved.
pub fn plan_jobs(inputs: &[PathBuf], files: &[PathBuf], outdir: &Path) -> Result<Vec<Job>> {
    let out = canonical(outdir)?;
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
    let names = output_names(files);
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

/// Reads, checks, renders and saves one input. `findings` gives the findings to list for a
/// document (the checker's, which include the reader's notices).
///
/// # Errors
/// When the input cannot be read, or the output cannot be written (nothing is left behind).
pub fn convert_file(
    job: &Job,
    opts: &Options,
    findings: &(dyn Fn(&Document) -> Vec<Finding> + Sync),
) -> Result<FileReport> {
    let doc = crate::read::read_file(&job.input)?;
    let listed = findings(&doc);
    let rendered = render(&doc, &listed, opts)?;
    save_atomic(&job.output, &rendered.bytes)?;
    Ok(FileReport {
        input: job.input.clone(),
        output: job.output.clone(),
        tables: doc.tables.len(),
        findings: rendered.counts(),
    })
}

/// Converts every job on `threads` threads (0 = one per core), calling `done` as each one
/// finishes (for a progress bar). Results come back in job order.
pub fn convert_many(
    jobs: &[Job],
    opts: &Options,
    threads: usize,
    findings: &(dyn Fn(&Document) -> Vec<Finding> + Sync),
    done: &(dyn Fn(&Job, &Result<FileReport>) + Sync),
) -> Vec<Result<FileReport>> {
    use rayon::prelude::*;
    let one = |job: &Job| {
        let r = convert_file(job, opts, findings);
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
            "a/报表.xlsx",
            "a/报表.xls",
            "b/报表.xls",
            "c/其他.ods",
            "d/其他.XLSX.bak",
            "e/ABC.xlsx",
            "f/abc.xlsb",
        ]));
        assert_eq!(
            names,
            vec![
                "报表-xlsx.xlsx",
                "报表-xls.xlsx",
                "报表-xls-2.xlsx",
                "其他.xlsx",
                "其他.XLSX.xlsx",
                "ABC-xlsx.xlsx",
                "abc-xlsb.xlsx",
            ]
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
        for out in [&input_dir, &inner] {
            let e = plan_jobs(&inputs, &files, out);
            assert!(matches!(e, Err(Error::Usage(_))), "{e:?}");
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
