//! The options every command shares, in two steps (ripgrep's low-level and high-level
//! arguments): clap parses the command line into [`GlobalArgs`], plain values as typed; one
//! conversion, [`Options::from_args`], resolves them — loads the rule file and the form
//! profiles, checks what can be checked before any input is read — into the [`Options`] every
//! command's `run` receives. Nothing is kept anywhere else: no command reads a global, and an
//! option means the same in every command.

use std::path::{Path, PathBuf};

use jixiao::check::Config;
use jixiao::read::{ProfileRef, Profiles, ReadOptions};
use jixiao::Document;

use super::usage;

/// Options of every command as typed (global: before or after the command's name). In every
/// command's help they come after the command's own options, in this order, before `--help`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GlobalArgs {
    /// 规则文件（默认：当前目录下的 jixiao.toml，若有）：关闭规则、改变级别、设定阈值
    #[arg(long, global = true, value_name = "规则文件", display_order = 902)]
    pub config: Option<PathBuf>,
    /// 用这个表样配置读取每张表：名称（内置的或用户的，见 jixiao profiles）或配置文件路径（默认按表中标签自动识别）
    #[arg(long, global = true, value_name = "名称或文件", display_order = 900)]
    pub profile: Option<String>,
    /// 用户表样配置所在的目录（可重复；其中每个 .toml 文件一个表样配置），补充当前目录和输入文件旁边的 jixiao-profiles 文件夹
    #[arg(long, global = true, value_name = "目录", display_order = 901)]
    pub profiles: Vec<PathBuf>,
    /// 并行读取的线程数（默认每个 CPU 核一个；不超过文件数）
    #[arg(long, global = true, value_name = "线程数", value_parser = usage::parse_jobs,
          display_order = 903)]
    pub jobs: Option<usize>,
}

/// Most threads a command starts, whatever `--jobs` asks.
pub const MAX_JOBS: usize = 64;

/// The resolved options of a run: what every command receives.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How to read every workbook: the forced profile, the profiles known.
    pub read: ReadOptions,
    /// The rule file in force (`--config`, else `./jixiao.toml`, else the defaults).
    pub config: Config,
    /// `--jobs`: threads wanted (`None` or 0: one per core).
    pub jobs: Option<usize>,
}

impl Options {
    /// Resolves the options as typed: reads the rule file and the profile named.
    ///
    /// # Errors
    /// A rule file or a profile that cannot be read or is not valid (exit 2, before any input
    /// is read).
    pub fn from_args(args: GlobalArgs) -> anyhow::Result<Options> {
        let config = Config::discover(args.config.as_deref(), Path::new("."))?;
        // The user's profiles beside the built-ins: the `jixiao-profiles` folder of the current
        // folder and the `--profiles` folders now (a later one wins an id they share), the
        // folder beside each input as it is read.
        let mut profiles = Profiles::builtin();
        // A profile's `[rules]` name the checker's rules: a misspelt id stops the run, here or
        // when the folder beside an input is read.
        profiles.validate_with(jixiao::check::settings::check_profile);
        profiles.add_folder(Path::new(jixiao::read::profile::USER_FOLDER))?;
        for dir in &args.profiles {
            if !dir.is_dir() {
                anyhow::bail!("--profiles {}：不是存在的目录", dir.display());
            }
            profiles.add_folder(dir)?;
        }
        let profile = match &args.profile {
            Some(name) => Some(profiles.resolve(name)?),
            None => None,
        };
        Ok(Options {
            read: ReadOptions {
                profile,
                profiles,
                profiles_beside_inputs: true,
            },
            config,
            jobs: args.jobs,
        })
    }

    /// The profile forced by `--profile`, if any.
    pub fn profile(&self) -> Option<&ProfileRef> {
        self.read.profile.as_ref()
    }

    /// The threads to use for `inputs` files: `--jobs` or one per core, never more than the
    /// files or [`MAX_JOBS`], at least one.
    pub fn threads(&self, inputs: usize) -> usize {
        let wanted = self.jobs.filter(|&n| n > 0).unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        wanted.min(inputs).clamp(1, MAX_JOBS)
    }

    /// Reads one workbook with these options.
    ///
    /// # Errors
    /// As [`jixiao::read::read_file`].
    pub fn read_file(&self, path: &Path) -> jixiao::Result<Document> {
        jixiao::read::read_file_with(path, &self.read)
    }

    /// Reads every file in parallel, keeping their order.
    pub fn read_many(&self, files: &[PathBuf]) -> Vec<jixiao::Result<Document>> {
        jixiao::read::read_many_with(files, self.threads(files.len()), &self.read)
    }

    /// Reads every file in parallel and hands each result to `sink` in input order, with only
    /// a window of documents in memory.
    ///
    /// # Errors
    /// The first error `sink` returned.
    pub fn read_streaming<E>(
        &self,
        files: &[PathBuf],
        mut sink: impl FnMut(&Path, jixiao::Result<Document>) -> Result<(), E>,
    ) -> Result<(), E> {
        jixiao::region::stream::ordered(
            files,
            self.threads(files.len()),
            |f| self.read_file(f),
            |i, r| sink(&files[i], r),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_capped_by_inputs_and_the_maximum() {
        let jobs = |n| Options {
            jobs: n,
            ..Options::default()
        };
        assert_eq!(jobs(Some(1000)).threads(3), 3);
        assert_eq!(jobs(Some(1000)).threads(10_000), MAX_JOBS);
        assert_eq!(jobs(Some(2)).threads(10), 2);
        assert_eq!(jobs(Some(4)).threads(0), 1);
        assert!(jobs(None).threads(1) == 1);
    }
}
