//! Output safety of `jixiao convert`: inputs are never modified, nothing is written outside
//! `-o`, outputs are replaced whole (by rename, never rewritten in place), a failure leaves no
//! temporary file and no half-written output, an unwritable folder or a full disk is a clear
//! error, and a batch goes on past failures and names every one of them.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
#[cfg(unix)]
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::sample;

/// Everything about a file that a careless writer could change.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    hash: u64,
    len: u64,
    modified: std::time::SystemTime,
    #[cfg(unix)]
    mode: u32,
    #[cfg(unix)]
    ino: u64,
}

fn fingerprint(path: &Path) -> Fingerprint {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    let m = std::fs::metadata(path).expect("metadata");
    Fingerprint {
        hash: h.finish(),
        len: m.len(),
        modified: m.modified().expect("modification time"),
        #[cfg(unix)]
        mode: m.mode(),
        #[cfg(unix)]
        ino: m.ino(),
    }
}

/// Every file under `root` (relative path → fingerprint), directories included as entries.
fn tree(root: &Path) -> BTreeMap<PathBuf, Option<Fingerprint>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .expect("under root")
                .to_path_buf();
            let fp = e.file_type().is_file().then(|| fingerprint(e.path()));
            (rel, fp)
        })
        .collect()
}

fn jixiao(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .output()
        .expect("jixiao runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A folder of inputs: good samples of every format and broken ones.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let names = [
        "seed-publication.xlsx",
        "seed-publication.xls",
        "seed-publication.xlsb",
        "seed-one-per-sheet.ods",
        "broken/truncated.xlsx",
        "broken/encrypted.xlsx",
        "broken/empty.xlsx",
        "broken/html-disguised.xls",
    ];
    std::fs::create_dir_all(dir).expect("input dir");
    names
        .iter()
        .map(|n| {
            let to = dir.join(Path::new(n).file_name().expect("file name"));
            std::fs::copy(sample(n), &to).expect("copy sample");
            to
        })
        .collect()
}

/// Temporary files the writer might leave behind.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name().to_string_lossy();
            // The output folder's marker is meant to stay.
            n != jixiao::read::OUTPUT_MARKER && n.starts_with(".jixiao-")
                || n.ends_with(".tmp")
                || n.starts_with(".tmp")
        })
        .map(walkdir::DirEntry::into_path)
        .collect()
}

#[test]
fn inputs_are_never_modified_and_nothing_lands_outside_out() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    let input_dir = root.join("部门文件");
    let files = inputs(&input_dir);
    let out = root.join("整理后");
    let before = tree(root);

    let o = jixiao(&[Path::new("convert"), &input_dir, Path::new("-o"), &out]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "some inputs are broken: {}",
        text(&o.stderr)
    );
    let o2 = jixiao(&[Path::new("import"), &input_dir]);
    assert_eq!(o2.status.code(), Some(2));
    let o3 = jixiao(&[Path::new("check"), &input_dir]);
    assert!(o3.status.code().is_some());

    // Inputs: byte for byte, inode, mode and mtime unchanged.
    let after = tree(root);
    for (path, fp) in &before {
        assert_eq!(after.get(path), Some(fp), "{} changed", path.display());
    }
    // The only new entries are the output folder and its workbooks.
    let new: Vec<&PathBuf> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    for p in &new {
        assert!(
            p.starts_with("整理后"),
            "written outside -o: {}",
            p.display()
        );
        assert!(
            p.as_os_str() == "整理后"
                || p.extension().is_some_and(|e| e == "xlsx")
                || p.file_name()
                    .is_some_and(|n| n == jixiao::read::OUTPUT_MARKER),
            "unexpected output {}",
            p.display()
        );
    }
    let new: Vec<&&PathBuf> = new
        .iter()
        .filter(|p| {
            p.file_name()
                .is_none_or(|n| n != jixiao::read::OUTPUT_MARKER)
        })
        .collect();
    assert_eq!(
        new.len(),
        1 + 4,
        "the folder and one workbook per readable input: {new:?}"
    );
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
    drop(files);
}

#[test]
fn batch_goes_on_past_failures_and_names_every_one() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input_dir = tmp.path().join("in");
    let files = inputs(&input_dir);
    let out = tmp.path().join("out");
    let o = jixiao(&[Path::new("convert"), &input_dir, Path::new("-o"), &out]);
    let (stdout, stderr) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    let broken: Vec<&PathBuf> = files
        .iter()
        .filter(|f| {
            let n = f
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            ["truncated", "encrypted", "empty", "html-disguised"]
                .iter()
                .any(|b| n.starts_with(b))
        })
        .collect();
    for f in &broken {
        let name = f.display().to_string();
        assert!(stderr.contains(&name), "{name} not named: {stderr}");
    }
    for f in files.iter().filter(|f| !broken.contains(f)) {
        let stem = f
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        assert!(stdout.contains(&f.display().to_string()), "{stdout}");
        assert!(
            std::fs::read_dir(&out)
                .expect("out")
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().starts_with(&stem)),
            "no output for {}",
            f.display()
        );
    }
    assert!(
        stdout.contains(&format!("失败 {} 个", broken.len())),
        "summary counts the failures: {stdout}"
    );
}

#[test]
fn existing_output_is_replaced_whole_by_rename() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in").join("表.xlsx");
    std::fs::create_dir_all(input.parent().expect("parent")).expect("dir");
    std::fs::copy(sample("seed-publication.xlsx"), &input).expect("copy");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).expect("out");
    let target = out.join("表.xlsx");
    // The old output is a hard link to another file: rewriting it in place would change
    // that file too; replacing it by rename leaves it alone.
    let other = tmp.path().join("别的文件.bin");
    std::fs::write(&other, b"old output, must survive").expect("write");
    std::fs::hard_link(&other, &target).expect("hard link");
    #[cfg_attr(not(unix), allow(unused_variables))]
    let old = fingerprint(&target);

    let o = jixiao(&[Path::new("convert"), &input, Path::new("-o"), &out]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read(&other).expect("read"),
        b"old output, must survive"
    );
    // A new inode is Unix's evidence of the rename; the surviving hard link above holds
    // everywhere.
    #[cfg(unix)]
    assert_ne!(
        fingerprint(&target).ino,
        old.ino,
        "output rewritten in place instead of replaced"
    );
    let doc = jixiao::read_file(&target).expect("new output reads");
    assert_eq!(doc.tables.len(), 10);
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn a_failed_input_leaves_an_existing_output_alone() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in").join("表.xlsx");
    std::fs::create_dir_all(input.parent().expect("parent")).expect("dir");
    std::fs::copy(sample("broken/truncated.xlsx"), &input).expect("copy");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).expect("out");
    let target = out.join("表.xlsx");
    std::fs::copy(sample("seed-publication.xlsx"), &target).expect("old output");
    #[cfg_attr(not(unix), allow(unused_variables))]
    let old = fingerprint(&target);
    let o = jixiao(&[Path::new("convert"), &input, Path::new("-o"), &out]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(fingerprint(&target), old);
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn an_output_that_cannot_be_replaced_leaves_no_temporary_file() {
    // The output name is taken by a directory: the rename fails after the temporary file was
    // written; it must be gone, the directory untouched, and the error clear.
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in").join("表.xlsx");
    std::fs::create_dir_all(input.parent().expect("parent")).expect("dir");
    std::fs::copy(sample("seed-publication.xlsx"), &input).expect("copy");
    let out = tmp.path().join("out");
    let blocker = out.join("表.xlsx");
    std::fs::create_dir_all(blocker.join("里面")).expect("blocker");
    let o = jixiao(&[Path::new("convert"), &input, Path::new("-o"), &out]);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&blocker.display().to_string()), "{stderr}");
    assert!(blocker.join("里面").is_dir());
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}

/// True when this process can create files in a folder it made read-only (root can).
#[cfg(unix)]
fn chmod_blocks_writes(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::create_dir_all(&probe).expect("probe dir");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let blocked = std::fs::write(probe.join("x"), b"x").is_err();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    blocked
}

#[test]
#[cfg(unix)] // Unix permissions (chmod 0555)
fn a_read_only_output_folder_is_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in").join("表.xlsx");
    std::fs::create_dir_all(input.parent().expect("parent")).expect("dir");
    std::fs::copy(sample("seed-publication.xlsx"), &input).expect("copy");
    // A folder chmod 0555 blocks writes, except for root (the test machines run as root);
    // there /sys stands in: a folder no one may create files in.
    let (out, restore) = if chmod_blocks_writes(tmp.path()) {
        let out = tmp.path().join("只读");
        std::fs::create_dir_all(&out).expect("out");
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        (out.clone(), Some(out))
    } else if std::fs::write("/sys/jixiao-probe", b"x").is_err() && Path::new("/sys").is_dir() {
        (PathBuf::from("/sys"), None)
    } else {
        // Root without a read-only folder at hand: nothing to test against.
        return;
    };
    let o = jixiao(&[Path::new("convert"), &input, Path::new("-o"), &out]);
    if let Some(dir) = &restore {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("无法写入"), "{stderr}");
    assert!(
        stderr.contains(&out.join("表.xlsx").display().to_string()),
        "{stderr}"
    );
    if restore.is_some() {
        assert_eq!(std::fs::read_dir(&out).expect("out").count(), 0);
    }
}

#[test]
#[cfg(unix)] // sh and ulimit -f
fn a_full_disk_is_a_clear_error_with_nothing_half_written() {
    // RLIMIT_FSIZE stands in for a full disk: a write past 4 KiB fails (EFBIG) — with SIGXFSZ
    // ignored, as the shell below does, the write returns an error instead of killing us.
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in").join("表.xlsx");
    std::fs::create_dir_all(input.parent().expect("parent")).expect("dir");
    std::fs::copy(sample("seed-publication.xlsx"), &input).expect("copy");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).expect("out");
    let o = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" convert \"$1\" -o \"$2\"")
        .arg(env!("CARGO_BIN_EXE_jixiao"))
        .arg(&input)
        .arg(&out)
        .output()
        .expect("sh runs");
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("无法写入"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(&out)
            .expect("out")
            .filter(|e| e
                .as_ref()
                .is_ok_and(|e| e.file_name() != jixiao::read::OUTPUT_MARKER))
            .count(),
        0,
        "nothing half-written: {:?}",
        std::fs::read_dir(&out)
            .expect("out")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect::<Vec<_>>()
    );
}

#[test]
#[cfg(unix)] // symlinks need a privilege on Windows
fn an_output_name_that_is_a_link_to_an_input_replaces_the_link_not_the_input() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("in").join("表.xlsx");
    std::fs::create_dir_all(input.parent().expect("parent")).expect("dir");
    std::fs::copy(sample("seed-publication.xlsx"), &input).expect("copy");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).expect("out");
    std::os::unix::fs::symlink(&input, out.join("表.xlsx")).expect("symlink");
    let before = fingerprint(&input);
    let o = jixiao(&[Path::new("convert"), &input, Path::new("-o"), &out]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        fingerprint(&input),
        before,
        "the input behind the link was written"
    );
    let meta = std::fs::symlink_metadata(out.join("表.xlsx")).expect("output");
    assert!(
        meta.file_type().is_file(),
        "the link was replaced by the output"
    );
}
