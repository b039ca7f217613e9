//! Files or folders dropped onto `jixiao.exe` in Explorer. Explorer starts the program with the
//! dropped paths as its only arguments; such a start converts them (as `jixiao convert`) into a
//! folder [`OUT_DIR`] beside the first of them and, when the program has its console window to
//! itself, keeps the window open until a key is pressed.
//!
//! A first argument that names a command (or `help`) is always that command, and an argument
//! starting with `-` makes the line an ordinary command line: the drop never changes what a
//! command line typed in a terminal means.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::CommandFactory;

use super::{print_error, Cli, EXIT_INPUT};

/// The folder the converted workbooks go to, beside the first dropped file or folder.
pub const OUT_DIR: &str = jixiao::read::DROP_FOLDER;

/// What the window says before it waits (Windows only).
#[cfg_attr(not(windows), allow(dead_code))]
pub const PAUSE_PROMPT: &str = "按任意键关闭窗口…";

/// What a window opened by double-clicking the program (no arguments) adds below the help.
pub const DROP_HINT: &str =
    "提示：把工作簿或文件夹拖到 jixiao.exe 的图标上，即可转换到其旁边的“jixiao输出”文件夹。";

/// The dropped paths when `args` (the program's name first) are a drop: at least one argument,
/// none starting with `-`, the first not a command's name, and the first an existing path or
/// written like one (with a folder part or a file extension). `jixiao chek` stays a mistyped
/// command; `jixiao 甲.xlsx` is a drop, and says so if the file is missing.
pub fn dropped_paths(args: &[OsString]) -> Option<Vec<PathBuf>> {
    let rest = args.get(1..)?;
    let first = Path::new(rest.first()?);
    if rest.iter().any(|a| a.to_string_lossy().starts_with('-')) {
        return None;
    }
    let cli = Cli::command();
    if first
        .to_str()
        .is_some_and(|name| name == "help" || cli.find_subcommand(name).is_some())
    {
        return None;
    }
    let written_as_path = first.extension().is_some()
        || first.components().count() > 1
        || first.to_string_lossy().contains(['/', '\\']);
    (written_as_path || first.exists()).then(|| rest.iter().map(PathBuf::from).collect())
}

/// True when the window should wait for a key before closing: the program was started by
/// double-clicking it or dropping files on it (`args`), and it is the only process attached to
/// its console (`console_processes`, Windows' `GetConsoleProcessList`; `None` where there is no
/// console or no such count). Started from `cmd.exe`, the shell shares the console: no wait.
pub fn should_pause(args: &[OsString], console_processes: Option<u32>) -> bool {
    console_processes == Some(1) && (args.len() == 1 || dropped_paths(args).is_some())
}

/// The output folder for a drop: [`OUT_DIR`] beside the first dropped path that exists.
pub fn out_dir(paths: &[PathBuf]) -> Option<PathBuf> {
    let first = paths.iter().find(|p| p.exists())?;
    let beside = match first.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join(OUT_DIR),
        Some(_) => PathBuf::from(OUT_DIR),
        // A drive or the root itself: inside it (which `convert` refuses, saying why).
        None => first.join(OUT_DIR),
    };
    Some(beside)
}

/// The `jixiao convert` command line a drop stands for, or `Err(exit code)` once said why not.
pub fn convert_command(paths: &[PathBuf]) -> Result<Cli, u8> {
    let Some(out) = out_dir(paths) else {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        print_error(&format!("找不到拖放的文件或目录：{}", names.join("、")));
        return Err(EXIT_INPUT);
    };
    let mut line: Vec<OsString> = vec!["jixiao".into(), "convert".into(), "-o".into()];
    line.push(out.into_os_string());
    line.push("--".into());
    line.extend(paths.iter().map(|p| p.as_os_str().to_os_string()));
    super::usage::parse(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        std::iter::once("jixiao")
            .chain(a.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn paths_alone_are_a_drop() {
        let dropped = dropped_paths(&args(&["D:\\部门\\甲.xlsx", "乙.xls"]));
        assert_eq!(
            dropped,
            Some(vec![
                PathBuf::from("D:\\部门\\甲.xlsx"),
                PathBuf::from("乙.xls")
            ])
        );
        // An existing folder, named without an extension.
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = dir.path().join("部门文件");
        std::fs::create_dir(&folder).expect("mkdir");
        let folder = folder.to_string_lossy().into_owned();
        assert_eq!(
            dropped_paths(&args(&[&folder])),
            Some(vec![PathBuf::from(&folder)])
        );
    }

    #[test]
    fn the_command_line_keeps_its_meaning() {
        for line in [
            &[][..],
            &["check", "甲.xlsx"],
            &["convert", "甲.xlsx", "-o", "out"],
            &["help"],
            &["--help"],
            &["-V"],
            &["甲.xlsx", "--json"],
            &["chek"],
            &["--config", "规则.toml", "甲.xlsx"],
        ] {
            assert_eq!(dropped_paths(&args(line)), None, "{line:?}");
        }
    }

    #[test]
    fn the_window_waits_only_when_it_is_the_programs_own() {
        let drop = args(&["D:\\甲.xlsx"]);
        assert!(should_pause(&drop, Some(1)));
        // Started from cmd.exe: cmd.exe shares the console.
        assert!(!should_pause(&drop, Some(2)));
        // No console (Linux, redirected, a service).
        assert!(!should_pause(&drop, None));
        // Double-clicked: the help, then a wait.
        assert!(should_pause(&args(&[]), Some(1)));
        // An ordinary command in a window of its own (a shortcut) closes as it always did.
        assert!(!should_pause(&args(&["check", "D:\\甲.xlsx"]), Some(1)));
    }

    #[test]
    fn the_output_folder_is_beside_the_first_existing_input() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("甲.xlsx");
        std::fs::write(&file, b"x").expect("write");
        let missing = dir.path().join("没有").join("乙.xlsx");
        assert_eq!(
            out_dir(&[missing.clone(), file.clone()]),
            Some(dir.path().join(OUT_DIR))
        );
        assert_eq!(
            out_dir(&[dir.path().to_path_buf()]),
            dir.path().parent().map(|p| p.join(OUT_DIR))
        );
        assert_eq!(out_dir(&[missing]), None);
    }

    #[test]
    fn a_drop_is_convert_into_the_output_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("甲.xlsx");
        std::fs::write(&file, b"x").expect("write");
        let cli = convert_command(std::slice::from_ref(&file)).expect("parses");
        let text = format!("{cli:?}");
        assert!(text.contains("Convert"), "{text}");
        assert!(text.contains(OUT_DIR), "{text}");
    }
}
