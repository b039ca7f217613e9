//! `jixiao.exe` (cross-built for `x86_64-pc-windows-gnu`) run under wine gives the results of the
//! native binary on the samples: `import --json`, `check --json`, `convert`, `template`, and a
//! file or folder dropped onto the program in Explorer (paths as arguments, no subcommand).
//!
//! Outputs are compared after writing each known path's Windows spelling (`samples\a.xlsx`) the
//! Unix way; nothing else is normalised except `convert`'s elapsed time. Workbooks are compared
//! part by part, decompressed, after the same path rewrite.
//!
//! Needs the exe (`cargo build --release --target x86_64-pc-windows-gnu --bin jixiao`, which
//! `.ci/run` does), wine (`wine64` or `wine`) and mingw-w64's gcc (for the test-only
//! `bcryptprimitives.dll` shim of `tests/windows/`: wine 8 lacks `ProcessPrng`). Without them
//! the tests print a skip line, and fail under `CI=true`.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use crate::common::root;

const TARGET: &str = "x86_64-pc-windows-gnu";
/// Longest one wine run may take (the prefix is made beforehand).
const RUN_LIMIT: Duration = Duration::from_secs(180);

/// What running the exe under wine needs.
struct Wine {
    /// `wine64` or `wine`.
    loader: PathBuf,
    /// Folder with `jixiao.exe` and the shim DLL beside it.
    bin: PathBuf,
    /// The wine prefix (made on first use, kept under the cargo test temp dir).
    prefix: PathBuf,
}

/// The wine set-up, made once per test run; `Err` says why the tests cannot run.
fn wine() -> Option<&'static Wine> {
    static WINE: OnceLock<Result<Wine, String>> = OnceLock::new();
    match WINE.get_or_init(set_up) {
        Ok(w) => Some(w),
        Err(why) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("Windows tests cannot run in CI: {why}");
            }
            // Written to stderr directly, past the test harness's capture, so it shows.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: Windows tests (jixiao.exe under wine): {why}"
            );
            None
        }
    }
}

fn set_up() -> Result<Wine, String> {
    let exe = windows_exe();
    if !exe.is_file() {
        return Err(format!(
            "{} not built (cargo build --release --target {TARGET} --bin jixiao)",
            exe.display()
        ));
    }
    if let Some(newer) = newer_source(&exe) {
        return Err(format!(
            "{} is older than {} (rebuild: cargo build --release --target {TARGET} --bin jixiao)",
            exe.display(),
            newer.display()
        ));
    }
    let loader = [
        "wine64",
        "wine",
        "/usr/lib/wine/wine64",
        "/usr/lib/wine/wine",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| runs(p, "--version"))
    .ok_or("wine is not installed (apt-get install wine64)")?;
    if !runs(Path::new("x86_64-w64-mingw32-gcc"), "--version") {
        return Err("mingw-w64 is not installed (apt-get install gcc-mingw-w64-x86-64)".into());
    }

    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("windows");
    let bin = tmp.join("bin");
    std::fs::create_dir_all(&bin).map_err(|e| format!("{}: {e}", bin.display()))?;
    std::fs::copy(&exe, bin.join("jixiao.exe")).map_err(|e| format!("copy exe: {e}"))?;
    let built = Command::new("bash")
        .arg(root().join("tests/windows/build.sh"))
        .arg(&bin)
        .output()
        .map_err(|e| format!("tests/windows/build.sh: {e}"))?;
    if !built.status.success() {
        return Err(format!(
            "the shim DLL did not build: {}",
            String::from_utf8_lossy(&built.stderr)
        ));
    }
    let w = Wine {
        loader,
        bin,
        prefix: tmp.join("prefix"),
    };
    // The first start makes the prefix (10–20 s); later runs reuse it.
    let first = w.run(&tmp, &["--version"]);
    let version = String::from_utf8_lossy(&first.stdout);
    if !first.status.success() || !version.starts_with("jixiao ") {
        return Err(format!(
            "jixiao.exe --version under wine failed ({:?}): {version}{}",
            first.status,
            String::from_utf8_lossy(&first.stderr)
        ));
    }
    Ok(w)
}

/// `target/x86_64-pc-windows-gnu/release/jixiao.exe`, or `JIXIAO_WINDOWS_EXE`.
fn windows_exe() -> PathBuf {
    if let Some(p) = std::env::var_os("JIXIAO_WINDOWS_EXE") {
        return PathBuf::from(p);
    }
    // CARGO_BIN_EXE_jixiao is <target dir>/<profile>/jixiao.
    let native = Path::new(env!("CARGO_BIN_EXE_jixiao"));
    let target_dir = native
        .parent()
        .and_then(Path::parent)
        .map_or_else(|| root().join("target"), Path::to_path_buf);
    target_dir.join(TARGET).join("release").join("jixiao.exe")
}

/// A source file changed after the exe was built, if any.
fn newer_source(exe: &Path) -> Option<PathBuf> {
    let built = std::fs::metadata(exe).and_then(|m| m.modified()).ok()?;
    let roots = ["src", "templates", "Cargo.toml", "Cargo.lock"];
    roots
        .iter()
        .flat_map(|r| walkdir::WalkDir::new(root().join(r)))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .find(|e| {
            std::fs::metadata(e.path())
                .and_then(|m| m.modified())
                .is_ok_and(|t: SystemTime| t > built)
        })
        .map(|e| e.path().to_path_buf())
}

fn runs(program: &Path, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .env("WINEDEBUG", "-all")
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success())
}

impl Wine {
    /// Runs `jixiao.exe ARGS` in `cwd` with no console on stdin, within [`RUN_LIMIT`].
    fn run(&self, cwd: &Path, args: &[&str]) -> Output {
        let mut child = Command::new(&self.loader)
            .arg(self.bin.join("jixiao.exe"))
            .args(args)
            .current_dir(cwd)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            // No Mono / Gecko installer dialogs; our bcryptprimitives.dll before any builtin.
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=;bcryptprimitives=n,b")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("wine starts");
        // Drain the pipes on threads so a chatty run cannot block on a full pipe.
        let mut out = child.stdout.take().expect("stdout");
        let mut err = child.stderr.take().expect("stderr");
        let out = std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = out.read_to_end(&mut b);
            b
        });
        let err = std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = err.read_to_end(&mut b);
            b
        });
        let started = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().expect("wait") {
                break s;
            }
            if started.elapsed() > RUN_LIMIT {
                let _ = child.kill();
                panic!(
                    "jixiao.exe {args:?} did not finish within {RUN_LIMIT:?} (waiting for a key?)"
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Output {
            status,
            stdout: out.join().expect("stdout thread"),
            stderr: err.join().expect("stderr thread"),
        }
    }
}

/// Runs the native binary in `cwd`.
fn native(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("jixiao runs")
}

/// A fresh folder holding a copy of `samples/`; returns it with the relative paths (Unix
/// spelling) of every file and folder in it.
fn work_dir(parent: &Path, name: &str) -> PathBuf {
    let dir = parent.join(name);
    for entry in walkdir::WalkDir::new(root().join("samples")) {
        let entry = entry.expect("samples readable");
        let rel = entry
            .path()
            .strip_prefix(root())
            .expect("under the crate root");
        let to = dir.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy sample");
        }
    }
    dir
}

/// Every path under `dir`, relative, with `/`, longest first.
fn paths_under(dir: &Path) -> Vec<String> {
    let mut paths: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("under dir")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    paths.sort_by_key(|p| std::cmp::Reverse(p.len()));
    paths
}

/// `text` with each of `paths` written the Unix way where the Windows program wrote it with
/// `\` (raw, or escaped as JSON writes it).
fn unix_paths(text: &str, paths: &[String]) -> String {
    let mut text = text.to_string();
    for p in paths.iter().filter(|p| p.contains('/')) {
        text = text.replace(&p.replace('/', "\\\\"), p);
        text = text.replace(&p.replace('/', "\\"), p);
    }
    text
}

fn utf8(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("output is UTF-8")
}

/// `用时 0.3 秒` → `用时 … 秒`.
fn no_time(text: &str) -> String {
    regex::Regex::new(r"用时 [0-9.]+ 秒")
        .expect("regex")
        .replace_all(text, "用时 … 秒")
        .into_owned()
}

/// Asserts the two runs agree: exit code, stdout and stderr (paths rewritten, time dropped).
fn assert_same_run(what: &str, linux: &Output, win: &Output, paths: &[String]) {
    let show = |o: &Output| format!("{}{}", utf8(&o.stdout), utf8(&o.stderr));
    assert_eq!(
        win.status.code(),
        linux.status.code(),
        "{what}: exit codes differ\nlinux:\n{}\nwindows:\n{}",
        show(linux),
        show(win)
    );
    for (name, l, w) in [
        ("stdout", &linux.stdout, &win.stdout),
        ("stderr", &linux.stderr, &win.stderr),
    ] {
        let l = no_time(&utf8(l));
        let w = no_time(&unix_paths(&utf8(w), paths));
        // The rewrite may only touch what the Windows program wrote: Linux has no `\` here.
        assert!(!l.contains('\\'), "{what}: {name} on Linux has a backslash");
        assert_eq!(w, l, "{what}: {name} differs");
    }
}

/// A workbook's parts, decompressed, with the paths rewritten.
fn parts(path: &Path, paths: &[String]) -> BTreeMap<String, String> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut part = zip.by_index(i).expect("zip entry");
            let mut text = Vec::new();
            part.read_to_end(&mut text).expect("entry reads");
            let text = String::from_utf8_lossy(&text);
            let name = part.name().expect("entry name").into_owned();
            (name, unix_paths(&text, paths))
        })
        .collect()
}

/// Asserts two workbooks hold the same parts and read back to the same tables.
fn assert_same_workbook(linux: &Path, win: &Path, paths: &[String]) {
    let l = parts(linux, paths);
    let w = parts(win, paths);
    assert_eq!(
        w.keys().collect::<Vec<_>>(),
        l.keys().collect::<Vec<_>>(),
        "{}: parts differ",
        win.display()
    );
    for (name, text) in &l {
        assert!(
            w[name] == *text,
            "{}: part {name} differs from the Linux one",
            win.display()
        );
    }
    let mut a = jixiao::read_file(linux).unwrap_or_else(|e| panic!("{e}"));
    let mut b = jixiao::read_file(win).unwrap_or_else(|e| panic!("{e}"));
    for doc in [&mut a, &mut b] {
        for t in &mut doc.tables {
            t.source.file.clear();
        }
        for f in &mut doc.discrepancies {
            f.file.clear();
        }
    }
    assert_eq!(
        serde_json::to_value(&b).expect("json"),
        serde_json::to_value(&a).expect("json"),
        "{}: reads back differently",
        win.display()
    );
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir")
}

#[test]
fn import_and_check_give_the_linux_results() {
    let Some(wine) = wine() else { return };
    let tmp = temp();
    let dir = work_dir(tmp.path(), "work");
    let paths = paths_under(&dir);
    for args in [
        &["import", "--json", "samples"][..],
        &["check", "--json", "samples"],
        &["import", "samples"],
        &["check", "samples"],
        &[
            "import",
            "--json",
            "samples/seed-publication.xls",
            "samples/national.xlsx",
        ],
    ] {
        let linux = native(&dir, args);
        let win = wine.run(&dir, args);
        assert_same_run(&args.join(" "), &linux, &win, &paths);
        if args[1] == "--json" {
            let json = unix_paths(&utf8(&win.stdout), &paths);
            let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON");
            let key = if args[0] == "import" {
                "tables"
            } else {
                "discrepancies"
            };
            assert!(
                doc[key].as_array().is_some_and(|t| !t.is_empty()),
                "{args:?}: no {key}"
            );
        }
    }
}

#[test]
fn convert_writes_the_linux_workbooks() {
    let Some(wine) = wine() else { return };
    let tmp = temp();
    let lin = work_dir(tmp.path(), "linux");
    let win = work_dir(tmp.path(), "windows");
    let args = ["convert", "samples", "-o", "out"];
    let l = native(&lin, &args);
    let w = wine.run(&win, &args);
    let mut paths = paths_under(&lin);
    paths.extend(
        paths_under(&lin.join("out"))
            .iter()
            .map(|p| format!("out/{p}")),
    );
    paths.sort_by_key(|p| std::cmp::Reverse(p.len()));
    assert_same_run("convert", &l, &w, &paths);
    let outputs = paths_under(&lin.join("out"));
    assert_eq!(paths_under(&win.join("out")), outputs);
    let workbooks: Vec<&String> = outputs
        .iter()
        .filter(|p| lin.join("out").join(p).is_file())
        // The output folder's marker is no workbook (its text is the same on both sides).
        .filter(|p| !p.ends_with(jixiao::read::OUTPUT_MARKER))
        .collect();
    assert!(workbooks.len() >= 10, "{outputs:?}");
    assert_eq!(
        std::fs::read(lin.join("out").join(jixiao::read::OUTPUT_MARKER)).ok(),
        std::fs::read(win.join("out").join(jixiao::read::OUTPUT_MARKER)).ok()
    );
    for name in workbooks {
        assert_same_workbook(
            &lin.join("out").join(name),
            &win.join("out").join(name),
            &paths,
        );
    }
}

#[test]
fn template_writes_the_linux_workbooks() {
    let Some(wine) = wine() else { return };
    let tmp = temp();
    let lin = work_dir(tmp.path(), "linux");
    let win = work_dir(tmp.path(), "windows");
    let paths = paths_under(&lin);
    for (args, out) in [
        (
            &["template", "--year", "2027", "-o", "空白.xlsx"][..],
            "空白.xlsx",
        ),
        (
            &[
                "template",
                "--year",
                "2027",
                "--layout",
                "national",
                "--tables",
                "3",
                "-o",
                "国家.xlsx",
            ],
            "国家.xlsx",
        ),
        (
            &[
                "template",
                "--from",
                "samples/seed-one-per-sheet.xlsx",
                "-o",
                "预填.xlsx",
            ],
            "预填.xlsx",
        ),
        (
            &["template", "--from", "samples", "--all", "-o", "全部.xlsx"],
            "全部.xlsx",
        ),
    ] {
        let l = native(&lin, args);
        let w = wine.run(&win, args);
        assert_same_run(&args.join(" "), &l, &w, &paths);
        assert!(lin.join(out).is_file(), "{args:?}: {}", utf8(&l.stderr));
        assert_same_workbook(&lin.join(out), &win.join(out), &paths);
    }
}

/// The file names of the workbooks under `dir`, relative, sorted.
fn workbooks_under(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = paths_under(dir)
        .into_iter()
        .filter(|p| dir.join(p).is_file())
        // The output folder's marker (a later search of a folder holding it skips it).
        .filter(|p| !p.ends_with(jixiao::read::OUTPUT_MARKER))
        .collect();
    names.sort();
    names
}

/// Dropping files or a folder onto the program (their paths as the only arguments) converts
/// them into `jixiao输出` beside the first, as `convert` would; on Linux too, without waiting
/// for a key (no console of its own).
#[test]
fn dropped_paths_are_converted_beside_them_natively() {
    let tmp = temp();
    let dir = work_dir(tmp.path(), "work");
    let files = ["samples/national.xlsx", "samples/seed-publication.xls"];
    let dropped = native(&dir, &files);
    let stdout = utf8(&dropped.stdout);
    assert_eq!(
        dropped.status.code(),
        Some(0),
        "{stdout}{}",
        utf8(&dropped.stderr)
    );
    assert!(
        stdout.contains("共 2 个文件：转换 2 个，失败 0 个")
            && stdout.contains("samples/jixiao输出"),
        "{stdout}"
    );
    assert!(!stdout.contains("按任意键"), "{stdout}");
    let reference = native(&dir, &["convert", files[0], files[1], "-o", "ref"]);
    assert_eq!(reference.status.code(), Some(0));
    let made = workbooks_under(&dir.join("samples/jixiao输出"));
    assert_eq!(made, ["national.xlsx", "seed-publication.xlsx"]);
    assert_eq!(made, workbooks_under(&dir.join("ref")));
    let paths = paths_under(&dir);
    for name in &made {
        assert_same_workbook(
            &dir.join("ref").join(name),
            &dir.join("samples/jixiao输出").join(name),
            &paths,
        );
    }

    // A folder, by its absolute path as Explorer gives it: beside the folder.
    let fresh = work_dir(tmp.path(), "folder");
    let folder = fresh.join("samples");
    let dropped = native(&fresh, &[folder.to_str().expect("UTF-8 temp path")]);
    let reference = native(&fresh, &["convert", "samples", "-o", "ref"]);
    // samples/broken/ holds unreadable files: exit 2 for both, the others converted.
    assert_eq!(dropped.status.code(), Some(2), "{}", utf8(&dropped.stderr));
    assert_eq!(reference.status.code(), Some(2));
    let made = workbooks_under(&fresh.join("jixiao输出"));
    assert!(made.len() >= 10, "{made:?}");
    assert_eq!(made, workbooks_under(&fresh.join("ref")));

    // A path that is not there: said in Chinese, exit 2, nothing made.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let missing = native(&empty, &["不存在.xlsx"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        utf8(&missing.stderr),
        "错误：找不到拖放的文件或目录：不存在.xlsx\n"
    );
    assert!(!empty.join(OUT).exists());
    // A mistyped command is still one.
    let typo = native(&fresh, &["chek"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(utf8(&typo.stderr).contains("不认识的命令“chek”"));
}

const OUT: &str = "jixiao输出";

/// The drop under wine: files given by Windows paths (`samples\a.xlsx`) give the Linux run's
/// output and workbooks; a folder given by its absolute Windows path (`Z:\…\samples`, as
/// Explorer passes it) gives the same workbooks; the program does not wait for a key (its
/// console is not its own here).
#[test]
fn dropped_paths_under_wine_give_the_linux_results() {
    let Some(wine) = wine() else { return };
    let tmp = temp();
    let lin = work_dir(tmp.path(), "linux");
    let win = work_dir(tmp.path(), "windows");
    let l = native(
        &lin,
        &["samples/national.xlsx", "samples/seed-one-per-sheet.xlsx"],
    );
    let w = wine.run(
        &win,
        &["samples\\national.xlsx", "samples\\seed-one-per-sheet.xlsx"],
    );
    let paths = paths_under(&lin);
    assert_same_run("drop of two files", &l, &w, &paths);
    let out = format!("samples/{OUT}");
    let made = workbooks_under(&lin.join(&out));
    assert_eq!(made, ["national.xlsx", "seed-one-per-sheet.xlsx"]);
    assert_eq!(workbooks_under(&win.join(&out)), made);
    for name in &made {
        assert_same_workbook(
            &lin.join(&out).join(name),
            &win.join(&out).join(name),
            &paths,
        );
    }

    let folder = win.join("samples");
    let windows_path = format!(
        "Z:{}",
        folder.to_str().expect("UTF-8 temp path").replace('/', "\\")
    );
    let w = wine.run(&win, &[&windows_path]);
    // samples/broken/ holds unreadable files: exit 2, the others converted.
    assert_eq!(w.status.code(), Some(2), "{}", utf8(&w.stderr));
    let stdout = utf8(&w.stdout);
    assert!(
        stdout.contains(&format!(
            "{}\\{OUT}",
            &windows_path[..windows_path.len() - "\\samples".len()]
        )),
        "{stdout}"
    );
    let l = native(&lin, &[lin.join("samples").to_str().expect("UTF-8")]);
    assert_eq!(l.status.code(), Some(2));
    let made = workbooks_under(&lin.join(OUT));
    assert!(made.len() >= 10, "{made:?}");
    assert_eq!(workbooks_under(&win.join(OUT)), made);

    let missing = wine.run(&win, &["samples\\不存在.xlsx"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        utf8(&missing.stderr),
        "错误：找不到拖放的文件或目录：samples\\不存在.xlsx\n"
    );
}

/// The README states the exe's size as the build makes it (within 1 MB): in the Chinese
/// section (`约 N MB`) and in the English one (`a N MB console exe`).
#[test]
fn the_readme_states_the_exe_size_as_built() {
    if wine().is_none() {
        return;
    }
    let size = std::fs::metadata(windows_exe()).expect("exe").len() as f64 / 1e6;
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    for pattern in [
        r"`jixiao\.exe` 是一个单独的程序文件（约 ([0-9.]+) MB）",
        r"a ([0-9.]+) MB console exe",
    ] {
        let re = regex::Regex::new(pattern).expect("regex");
        let stated: f64 = re
            .captures(&readme)
            .and_then(|c| c[1].parse().ok())
            .unwrap_or_else(|| panic!("the README states the exe's size ({pattern})"));
        assert!(
            (stated - size).abs() <= 1.0,
            "the README says {stated} MB, the build wrote {size:.1} MB ({pattern})"
        );
    }
}
