//! The command line in Chinese: parsing, help, version, and clap's errors said again in
//! Chinese (clap writes them in English).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser};

use super::{Cli, EXIT_INPUT, EXIT_OK};

/// Parses the command line, or says in Chinese what is wrong with it: `Err(exit code)` once the
/// help, the version or the error is printed.
pub fn parse(args: Vec<std::ffi::OsString>) -> Result<Cli, u8> {
    let args = rewrite_help_subcommand(args);
    match Cli::try_parse_from(&args) {
        Ok(cli) => Ok(cli),
        Err(e) => Err(report(&e, &args)),
    }
}

/// `jixiao help` and `jixiao help check` as `jixiao --help` and `jixiao check --help`.
fn rewrite_help_subcommand(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.truncate(2);
        args.push("--help".into());
    }
    args
}

/// Prints the help, the version or the error; returns the exit code.
fn report(e: &clap::Error, args: &[std::ffi::OsString]) -> u8 {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return EXIT_OK;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return EXIT_INPUT;
        }
        _ => {}
    }
    let sub = subcommand_of(args);
    let hint = match &sub {
        Some(s) => format!("用法见 jixiao {s} --help"),
        None => "用法见 jixiao --help".to_string(),
    };
    super::print_error(&format!("{}。{hint}", message(e)));
    EXIT_INPUT
}

/// The subcommand named on the command line, if any.
fn subcommand_of(args: &[std::ffi::OsString]) -> Option<String> {
    let cmd = Cli::command();
    args.iter().skip(1).find_map(|a| {
        let a = a.to_str()?;
        cmd.find_subcommand(a).map(|c| c.get_name().to_string())
    })
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// True when the text holds a CJK character (a message of ours, not clap's English).
fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// clap's error in one Chinese sentence.
pub fn message(e: &clap::Error) -> String {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let suggestion = context(e, ContextKind::SuggestedArg)
        .or_else(|| context(e, ContextKind::SuggestedSubcommand))
        .or_else(|| context(e, ContextKind::SuggestedValue))
        .map(|s| format!("（是否想用 {s}？）"))
        .unwrap_or_default();
    match e.kind() {
        ErrorKind::InvalidValue => {
            let valid = possible_values(&arg)
                .or_else(|| context(e, ContextKind::ValidValue))
                .map(|v| format!("，可选的值：{v}"))
                .unwrap_or_default();
            if value.is_empty() {
                format!("{arg} 需要一个值{valid}")
            } else {
                format!("{arg} 的值“{value}”无效{valid}{suggestion}")
            }
        }
        ErrorKind::UnknownArgument => {
            format!("不认识的选项或参数“{arg}”{suggestion}")
        }
        ErrorKind::InvalidSubcommand => {
            let name = context(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            format!(
                "不认识的命令“{name}”{suggestion}，可用的命令：{}",
                command_names().join("、")
            )
        }
        ErrorKind::NoEquals => format!("{arg} 的值要用等号给出（如 {arg}=值）"),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(ToString::to_string)
                .filter(|s| is_chinese(s))
                .map(|s| format!("：{s}"))
                .unwrap_or_default();
            format!("{arg} 的值“{value}”无效{why}")
        }
        ErrorKind::TooManyValues => format!("{arg} 给出的值太多（“{value}”是多余的）"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 给出的值个数不对")
        }
        ErrorKind::ArgumentConflict => {
            let prior = context(e, ContextKind::PriorArg).unwrap_or_default();
            if prior.is_empty() {
                format!("{arg} 不能重复给出")
            } else {
                format!("{arg} 不能与 {prior} 同时使用")
            }
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => {
            format!("缺少命令（{}）", command_names().join("、"))
        }
        ErrorKind::InvalidUtf8 => "参数中有无法识别的字符（不是有效的 UTF-8）".to_string(),
        _ => "命令行参数有误".to_string(),
    }
}

/// Every command's name, from clap's own list (so a new command is never left out).
pub fn command_names() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect()
}

/// The values an option takes, with their Chinese aliases (`error（错误）、…`), looked up by
/// the option's long name in every subcommand.
fn possible_values(arg: &str) -> Option<String> {
    let long = arg.split_whitespace().next()?.strip_prefix("--")?;
    let cmd = Cli::command();
    let found = cmd.get_subcommands().find_map(|sub| {
        let a = sub.get_arguments().find(|a| a.get_long() == Some(long))?;
        let values: Vec<String> = a
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| {
                let names: Vec<&str> = v.get_name_and_aliases().collect();
                match names.split_first() {
                    Some((name, aliases)) if !aliases.is_empty() => {
                        format!("{name}（{}）", aliases.join("、"))
                    }
                    _ => v.get_name().to_string(),
                }
            })
            .collect();
        (!values.is_empty()).then(|| values.join("、"))
    });
    found
}

/// `--jobs N`: a whole number, 0 meaning one per core.
pub fn parse_jobs(s: &str) -> Result<usize, String> {
    s.trim()
        .parse()
        .map_err(|_| "应为不小于 0 的整数（0 表示每个 CPU 核一个线程）".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(args: &[&str]) -> String {
        let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        match Cli::try_parse_from(rewrite_help_subcommand(args)) {
            Ok(_) => panic!("parsed"),
            Err(e) => message(&e),
        }
    }

    #[test]
    fn clap_errors_are_said_in_chinese() {
        let m = err(&["jixiao", "check", "--severity", "严重", "x.xlsx"]);
        assert!(
            m.contains("--severity") && m.contains("严重") && m.contains("错误"),
            "{m}"
        );
        let m = err(&["jixiao", "check", "--bogus", "x.xlsx"]);
        assert!(m.contains("不认识的选项") && m.contains("--bogus"), "{m}");
        let m = err(&["jixiao", "chek"]);
        assert!(
            m.contains("不认识的命令“chek”") && m.contains("check"),
            "{m}"
        );
        let m = err(&["jixiao", "import", "--jobs", "abc", "x.xlsx"]);
        assert!(m.contains("--jobs") && m.contains("整数"), "{m}");
        let m = err(&["jixiao", "convert", "x.xlsx"]);
        assert!(m.contains("缺少必需的参数"), "{m}");
        let m = err(&["jixiao", "sumary", "x.xlsx"]);
        assert!(m.contains("summary"), "{m}");
        let m = err(&["jixiao", "convert", "x.xlsx"]);
        assert!(m.contains("缺少必需的参数"), "{m}");
        assert!(!m.contains("error:") && !m.contains("Usage"), "{m}");
    }

    #[test]
    fn an_unknown_command_lists_every_command() {
        let m = err(&["jixiao", "不存在的命令", "x.xlsx"]);
        let cli = Cli::command();
        let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
        assert!(names.len() > 1, "{names:?}");
        for name in names {
            assert!(m.contains(name), "{name} missing from: {m}");
        }
    }

    #[test]
    fn every_command_has_the_chinese_help_layout() {
        let mut cli = Cli::command();
        cli.build();
        for sub in cli.get_subcommands_mut() {
            let name = sub.get_name().to_string();
            let help = sub.render_help().to_string();
            assert!(help.contains("用法："), "{name}: {help}");
            assert!(help.contains("选项："), "{name}: {help}");
            assert!(help.contains("显示本帮助"), "{name}: {help}");
            assert!(help.contains("示例："), "{name}: {help}");
            assert!(help.contains(&format!("jixiao {name}")), "{name}: {help}");
            for shared in ["--profile", "--config", "--jobs"] {
                assert!(help.contains(shared), "{name} lacks {shared}: {help}");
            }
            assert!(
                !help.contains("Usage") && !help.contains("Options") && !help.contains("Print"),
                "{name}: {help}"
            );
        }
    }
}
