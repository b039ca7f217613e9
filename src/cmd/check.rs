//! `jixiao check`: read workbooks, check every table, report the findings.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use jixiao::check::{self, CATALOGUE};
use jixiao::model::{Finding, Grade, Severity};

use super::{
    read_inputs, Failed, HelpFlag, Options, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, SUB_TEMPLATE,
};

/// Arguments of `jixiao check`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = SUB_TEMPLATE,
    override_usage = "jixiao check [选项] <文件或目录>...\n       jixiao check --rules [--json]",
    after_help = "示例：\n  jixiao check samples/\n  jixiao check --severity 警告 部门A.xlsx\n  \
                  jixiao check --json 部门A.xlsx > 问题.json\n  jixiao check --rules\n  \
                  jixiao check --targets 目标表/ 自评表/\n\n\
                  --json 的输出：{\"discrepancies\": [...], \"failed\": [{\"file\", \"reason\"}]}\
                  （failed 列出无法读取的文件）\n\n\
                  退出码：0 没有错误；1 有错误级别的问题；2 有文件无法读取"
)]
pub struct Args {
    /// 输出 JSON：{"discrepancies": [...], "failed": [...]}
    #[arg(long)]
    json: bool,
    /// 只列出此级别及更严重的问题：错误（error）、警告（warning）、提示（info，默认，含读取提示）
    #[arg(long, value_enum, value_name = "级别", default_value_t = Level::Info,
          hide_default_value = true, hide_possible_values = true)]
    severity: Level,
    /// 列出全部检查规则（规则号、级别、检查内容、示例），不检查文件
    #[arg(long)]
    rules: bool,
    /// 绩效目标表所在的文件或目录：每张自评表、监控表与同一项目（年度 + 项目编码，或项目名称 + 主管部门）的目标表核对指标、指标值和年初预算数
    #[arg(long, value_name = "目标表文件或目录", num_args = 1)]
    targets: Vec<PathBuf>,
    /// 工作簿文件或目录（目录中递归查找 xlsx、xlsm、xlsb、xls、ods、et 等）
    #[arg(required_unless_present = "rules", value_name = "文件或目录")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    help: HelpFlag,
}

/// The least severity to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Level {
    /// 只列错误
    #[value(alias = "错误")]
    Error,
    /// 错误和警告
    #[value(alias = "警告")]
    Warning,
    /// 全部（含读取提示）
    #[value(alias = "提示")]
    Info,
}

impl Level {
    fn severity(self) -> Severity {
        match self {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Info,
        }
    }
}

/// What `--json` prints.
#[derive(serde::Serialize)]
struct Report<'a> {
    discrepancies: Vec<&'a Finding>,
    /// The files that could not be read.
    failed: &'a [Failed],
    /// Every table with its suggested review grade.
    tables: Vec<TableGrade<'a>>,
}

/// One table's suggested grade, as `--json` prints it.
#[derive(serde::Serialize)]
struct TableGrade<'a> {
    project: &'a str,
    department: &'a str,
    file: &'a str,
    sheet: &'a str,
    profile: &'a str,
    /// A targets table's suggested review grade.
    grade: Option<&'a Grade>,
    /// A self-evaluation's own 总分 and 等级, printed and computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<&'a jixiao::model::Total>,
}

/// Runs `jixiao check`.
pub fn run(args: Args, opts: &Options) -> anyhow::Result<u8> {
    let config = &opts.config;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.rules && !args.inputs.is_empty() {
        anyhow::bail!(
            "--rules 只列出检查规则，不检查文件：请去掉 --rules 以检查 {}，或去掉文件名以列出规则",
            args.inputs[0].display()
        );
    }
    if args.rules {
        print_rules(&mut out, args.json, opts)?;
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let mut outcome = read_inputs(&args.inputs, opts)?;
    let mut findings = check::check_with(&outcome.doc, config);
    // Listed errors first, then warnings, then notices; by table and cell within each.
    check::sort_findings(&mut findings);
    if !args.targets.is_empty() {
        let targets = read_inputs(&args.targets, opts)?;
        targets.report_failed();
        findings.extend(check::selfeval::link::check_links(
            &outcome.doc,
            &targets.doc,
            config,
        ));
        check::sort_findings(&mut findings);
    }
    check::grade(&mut outcome.doc, &findings);
    let least = args.severity.severity();
    let shown: Vec<&Finding> = findings.iter().filter(|f| f.severity <= least).collect();
    if args.json {
        serde_json::to_writer_pretty(
            &mut out,
            &Report {
                discrepancies: shown,
                failed: &outcome.failed,
                tables: outcome
                    .doc
                    .tables
                    .iter()
                    .map(|t| TableGrade {
                        project: t.display_name(),
                        department: &t.project.department,
                        file: &t.source.file,
                        sheet: &t.source.sheet,
                        profile: check::profile_of(t),
                        grade: t.grade.as_ref(),
                        total: t.total.as_ref(),
                    })
                    .collect(),
            },
        )?;
        writeln!(out)?;
    } else {
        print_human(&mut out, &outcome, &shown, findings.len() - shown.len())?;
    }
    out.flush()?;
    drop(out);
    outcome.report_failed();
    Ok(if !outcome.failed.is_empty() {
        EXIT_INPUT
    } else if findings.iter().any(|f| f.severity == Severity::Error) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// One rule as `--rules --json` prints it: the catalogue entry and its level per profile.
#[derive(serde::Serialize)]
struct RuleEntry<'a> {
    #[serde(flatten)]
    rule: &'a check::Rule,
    /// Profile id → level (`error`, `warning`, `info`, `off`) under the rule file in force, for
    /// every profile of the run (the user's included).
    levels: std::collections::BTreeMap<&'a str, check::Level>,
}

fn print_rules(out: &mut impl Write, json: bool, opts: &Options) -> anyhow::Result<()> {
    let config = &opts.config;
    if json {
        let settings: Vec<(&str, check::Settings)> = opts
            .read
            .profiles
            .iter()
            .map(|p| {
                let s = check::Settings::for_profile(check::Vocab::builtin(), config, *p, p.kind);
                (p.id.as_str(), s)
            })
            .collect();
        let entries: Vec<RuleEntry> = CATALOGUE
            .iter()
            .map(|r| RuleEntry {
                rule: r,
                levels: settings.iter().map(|(id, s)| (*id, s.level(r))).collect(),
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &entries)?;
        writeln!(out)?;
        return Ok(());
    }
    let width = CATALOGUE.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in CATALOGUE {
        writeln!(
            out,
            "{:<width$}  {}  [{}]",
            r.id,
            r.name,
            check::level_text(r, config, &opts.read.profiles)
        )?;
        writeln!(out, "{:<width$}  检查：{}", "", r.checks)?;
        writeln!(out, "{:<width$}  例：{}", "", r.example)?;
    }
    if let Some(src) = &config.source {
        writeln!(out, "\n级别已按规则文件 {} 调整", src.display())?;
    }
    writeln!(out, "\n共 {} 条规则；说明见 docs/rules.md", CATALOGUE.len())?;
    Ok(())
}

fn print_human(
    out: &mut impl Write,
    outcome: &super::ReadOutcome,
    shown: &[&Finding],
    hidden: usize,
) -> anyhow::Result<()> {
    let tables = &outcome.doc.tables;
    let mut file: Option<&str> = None;
    let mut table: Option<Option<usize>> = None;
    // Findings come errors first, then warnings, then notices (`check::report_order`): a
    // table's heading is printed again where its findings resume, its grade the first time.
    let mut graded: std::collections::HashSet<Option<usize>> = std::collections::HashSet::new();
    for f in shown {
        if file != Some(f.file.as_str()) {
            if file.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", f.file)?;
            file = Some(f.file.as_str());
            table = None;
        }
        if table != Some(f.table) {
            let name = f
                .table
                .and_then(|i| tables.get(i))
                .map_or(f.project.as_str(), |t| t.display_name());
            // The grade the first time the table is named.
            let t = f
                .table
                .filter(|_| graded.insert(f.table))
                .and_then(|i| tables.get(i));
            let grade = match (
                t.and_then(|t| t.grade.as_ref()),
                t.and_then(check::selfeval_result),
            ) {
                (Some(g), _) => format!("  建议评级：{}（{} 分）", g.grade, g.score),
                (None, Some(r)) => format!("  自评{r}"),
                (None, None) => String::new(),
            };
            writeln!(out, "  {name}  [{}]{grade}", f.sheet)?;
            table = Some(f.table);
        }
        let cell = f.cell.map_or_else(|| "—".to_string(), |c| c.to_string());
        writeln!(
            out,
            "    {}  {:<30} {:>5}  {}〔{}〕",
            f.severity.label(),
            f.rule,
            cell,
            f.message,
            f.rule_name
        )?;
    }
    if !shown.is_empty() {
        writeln!(out)?;
    }
    let mut per_rule: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    let mut per_severity: BTreeMap<Severity, usize> = BTreeMap::new();
    for f in shown {
        *per_rule.entry((f.severity, f.rule.as_str())).or_default() += 1;
        *per_severity.entry(f.severity).or_default() += 1;
    }
    if !per_rule.is_empty() {
        writeln!(out, "按规则：")?;
        for ((sev, rule), n) in &per_rule {
            writeln!(out, "  {}  {rule:<30} {n:>4}", sev.label())?;
        }
    }
    let files = outcome.per_file.len();
    let table_count: usize = outcome.per_file.iter().map(|(_, n)| n).sum();
    let counts: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s.label(),
                per_severity.get(s).copied().unwrap_or(0)
            )
        })
        .collect();
    let hidden = if hidden > 0 {
        format!("（另有 {hidden} 条较轻的未列出）")
    } else {
        String::new()
    };
    writeln!(
        out,
        "检查了 {files} 个文件、{table_count} 张表：{}{hidden}",
        counts.join("，")
    )?;
    let grades: Vec<String> = jixiao::check::GRADE_SCALE
        .iter()
        .map(|(g, _, _)| {
            let n = tables
                .iter()
                .filter(|t| t.grade.as_ref().is_some_and(|x| x.grade == *g))
                .count();
            format!("{g} {n}")
        })
        .collect();
    if tables.iter().any(|t| t.grade.is_some()) {
        writeln!(
            out,
            "建议评级：{}（评分方法见 docs/rules.md）",
            grades.join("，")
        )?;
    }
    // A self-evaluation's own grade, as the form gives it (printed, else computed).
    if tables.iter().any(|t| check::selfeval_grade(t).is_some()) {
        let own: Vec<String> = jixiao::check::GRADE_SCALE
            .iter()
            .map(|(g, _, _)| {
                let n = tables
                    .iter()
                    .filter(|t| check::selfeval_grade(t) == Some(*g))
                    .count();
                format!("{g} {n}")
            })
            .collect();
        writeln!(out, "自评等级：{}", own.join("，"))?;
    }
    Ok(())
}
