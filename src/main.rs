//! The `jixiao` command line: parses arguments, calls the library, maps results to exit codes
//! (0 clean, 1 findings of severity error, 2 an input could not be read or the command line
//! is wrong). Every error line starts with `错误：` and names the file it is about.

mod cmd;

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cmd::usage::parse(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(code) => return ExitCode::from(code),
    };
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if cmd::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            cmd::print_error(&cmd::error_text(&e));
            ExitCode::from(cmd::EXIT_INPUT)
        }
    }
}
