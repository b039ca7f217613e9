//! The `jixiao` command line: parses arguments, calls the library, maps results to exit codes
//! (0 clean, 1 findings of severity error, 2 an input could not be read).

mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if cmd::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            #[allow(clippy::print_stderr)]
            {
                eprintln!("jixiao: {e:#}");
            }
            ExitCode::from(2)
        }
    }
}
