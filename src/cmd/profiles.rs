//! `jixiao profiles`: every form profile a run knows — the built-in ones and the user's (the
//! `jixiao-profiles` folder here or beside the inputs, `--profiles DIR`, `--profile FILE`) —
//! with where each came from, what it extends and the words it is recognised by (as
//! `bat --list-languages` lists what bat knows).

use std::io::Write;
use std::path::{Path, PathBuf};

use jixiao::read::profile::{ProfileSource, USER_FOLDER};
use jixiao::read::{ProfileRef, Profiles};
use jixiao::{Layout, TableKind};

use super::{HelpFlag, Options, EXIT_OK, SUB_TEMPLATE};

/// Arguments of `jixiao profiles`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = SUB_TEMPLATE,
    override_usage = "jixiao profiles [选项] [文件或目录]...",
    after_help = "示例：\n  jixiao profiles\n  jixiao profiles 各部门/甘肃.xlsx\n  \
                  jixiao profiles --profiles D:\\表样配置 --json\n\n\
                  列出内置的表样配置和用户的表样配置（当前目录下 jixiao-profiles 文件夹中的、\
                  --profiles 目录中的、--profile 给出的文件），按识别时的先后次序：\
                  用户的在前，同分时优先。给出工作簿时，也列出其旁边 jixiao-profiles 文件夹中的\
                  （读取这些工作簿时会用到）。\n\n\
                  --json 的输出：{\"profiles\": [{\"id\", \"name\", \"source\", \"file\", \"extends\", \
                  \"kind\", \"layout\", \"detect\"}], \"forced\"}（forced 为 --profile 指定的表样配置）\n\n\
                  退出码：0 成功；2 有表样配置文件无法读取或格式不对"
)]
pub struct Args {
    /// 输出 JSON：每个表样配置的名称、来源、继承和识别词
    #[arg(long)]
    json: bool,
    /// 工作簿文件或目录：也列出其旁边 jixiao-profiles 文件夹中的表样配置
    #[arg(value_name = "文件或目录")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    help: HelpFlag,
}

/// One profile as `--json` prints it.
#[derive(serde::Serialize)]
struct Entry<'a> {
    id: &'a str,
    name: &'a str,
    /// `builtin` or `file`.
    source: &'static str,
    /// The profile file (a user's profile).
    file: Option<String>,
    extends: Option<&'a str>,
    kind: TableKind,
    layout: Layout,
    detect: Detect<'a>,
}

#[derive(serde::Serialize)]
struct Detect<'a> {
    labels: &'a [String],
    title: &'a [String],
}

#[derive(serde::Serialize)]
struct Report<'a> {
    profiles: Vec<Entry<'a>>,
    forced: Option<&'a str>,
}

/// The `jixiao-profiles` folder that applies to an input: beside a file, inside a folder.
fn folder_for(input: &Path) -> PathBuf {
    if input.is_dir() {
        input.join(USER_FOLDER)
    } else {
        input
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join(USER_FOLDER)
    }
}

/// Where a profile came from, in Chinese.
fn origin(p: &ProfileRef) -> String {
    match &p.source {
        ProfileSource::Builtin => "内置".to_string(),
        ProfileSource::File(path) => path.display().to_string(),
    }
}

fn kind_text(kind: TableKind, form: jixiao::model::FormKind) -> String {
    let whose = match kind {
        TableKind::Project => "项目支出",
        TableKind::Department => "部门整体支出",
    };
    format!("{whose}{}", form.label())
}

/// Runs `jixiao profiles`.
pub fn run(args: Args, opts: &Options) -> anyhow::Result<u8> {
    let mut profiles: Profiles = opts.read.profiles.clone();
    for input in &args.inputs {
        if !input.exists() {
            anyhow::bail!("{}：文件或目录不存在", input.display());
        }
        profiles.add_folder(&folder_for(input))?;
    }
    let forced = opts.read.profile.as_ref().map(|p| p.id.as_str());
    let all: Vec<&ProfileRef> = profiles.iter().collect();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let report = Report {
            profiles: all
                .iter()
                .map(|p| Entry {
                    id: &p.id,
                    name: &p.name,
                    source: match p.source {
                        ProfileSource::Builtin => "builtin",
                        ProfileSource::File(_) => "file",
                    },
                    file: match &p.source {
                        ProfileSource::Builtin => None,
                        ProfileSource::File(path) => Some(path.display().to_string()),
                    },
                    extends: p.extends.as_deref(),
                    kind: p.kind,
                    layout: p.layout,
                    detect: Detect {
                        labels: &p.detect.labels,
                        title: &p.detect.title,
                    },
                })
                .collect(),
            forced,
        };
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let width = all.iter().map(|p| p.id.chars().count()).max().unwrap_or(0);
    for p in &all {
        let mark = if Some(p.id.as_str()) == forced {
            "（--profile 指定：每张表都用它读取）"
        } else {
            ""
        };
        writeln!(out, "{:<width$}  {}{mark}", p.id, p.name)?;
        let extends = p
            .extends
            .as_deref()
            .map_or_else(String::new, |e| format!("；继承 {e}"));
        let layout = match p.kind {
            TableKind::Project => format!("，{}", jixiao::template::guide::layout_name(p.layout)),
            TableKind::Department => String::new(),
        };
        writeln!(
            out,
            "{:<width$}  来源：{}{extends}；{}{layout}",
            "",
            origin(p),
            kind_text(p.kind, p.form())
        )?;
        let mut words: Vec<String> = p.detect.labels.clone();
        words.extend(p.detect.title.iter().map(|t| format!("标题含“{t}”")));
        if !words.is_empty() {
            writeln!(out, "{:<width$}  识别：{}", "", words.join("、"))?;
        }
    }
    let users = all
        .iter()
        .filter(|p| p.source != ProfileSource::Builtin)
        .count();
    writeln!(
        out,
        "\n共 {} 个表样配置：内置 {}，用户的 {users}",
        all.len(),
        all.len() - users
    )?;
    if users == 0 {
        writeln!(
            out,
            "用户的表样配置放在当前目录或工作簿旁边的 {USER_FOLDER} 文件夹中，或用 --profiles 目录、--profile 文件 给出；写法见 README“表样配置”"
        )?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}
