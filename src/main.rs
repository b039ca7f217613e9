//! The `jixiao` command line: parses arguments, calls the library, maps results to exit codes
//! (0 clean, 1 findings of severity error, 2 an input could not be read or the command line
//! is wrong). Every error line starts with `错误：` and names the file it is about.
//!
//! Files or folders given without a command (what Explorer does when they are dropped onto
//! `jixiao.exe`) are converted into `jixiao输出` beside them: see [`cmd::drop`].

mod cmd;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Kept to the end of main: the console gets its code page back when it drops.
    let _utf8 = cmd::console::utf8_output();
    let args: Vec<OsString> = std::env::args_os().collect();
    let parsed = match cmd::drop::dropped_paths(&args) {
        Some(paths) => cmd::drop::convert_command(&paths),
        None => cmd::usage::parse(args.clone()),
    };
    let code = match parsed {
        Ok(cli) => run(cli),
        Err(code) => code,
    };
    if cmd::drop::should_pause(&args, cmd::console::process_count()) {
        if args.len() == 1 {
            let _ = writeln!(std::io::stdout(), "\n{}", cmd::drop::DROP_HINT);
        }
        cmd::console::wait_for_key();
    }
    ExitCode::from(code)
}

/// Runs a parsed command line and says its error, if any: the exit code.
fn run(cli: cmd::Cli) -> u8 {
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            if cmd::is_broken_pipe(&e) {
                return cmd::EXIT_OK;
            }
            cmd::print_error(&cmd::error_text(&e));
            cmd::EXIT_INPUT
        }
    }
}
