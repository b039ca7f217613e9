//! The jixiao library for the offline page: one file in, its tables, findings and converted
//! workbook out; next year's template from the documents read. Each call is independent; the
//! page runs it in web workers and restarts a worker whose module panicked.

use std::path::Path;

use jixiao::check::Config;
use jixiao::model::{Document, Finding, Layout, Severity};
use jixiao::template::write::{self as tw, Blank, Prefill};
use jixiao::template::{self, CarryOptions};
use jixiao::write::{render, Date, Options};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Set by the worker: receives the panic message before the module traps.
    #[wasm_bindgen(js_name = jixiaoPanic)]
    fn report_panic(message: &str);
}

/// Sends panic messages to the worker (which then fails the file and restarts the module).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| report_panic(&info.to_string())));
}

/// What converting one file gave, for the page.
#[derive(serde::Serialize)]
struct Summary<'a> {
    tables: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    findings: &'a [Finding],
    /// Table names, for the page's project filter.
    projects: Vec<&'a str>,
    /// Per self-evaluation or monitoring table, what it scores.
    scored: Vec<Scored<'a>>,
}

/// What a self-evaluation or monitoring table says of itself, printed beside computed.
#[derive(serde::Serialize)]
struct Scored<'a> {
    project: &'a str,
    /// `self-evaluation` or `monitoring`.
    form: &'static str,
    /// 绩效自评表 / 绩效运行监控表.
    form_name: &'static str,
    /// 总分 as printed (its text), null where the form has none.
    score: Option<&'a str>,
    /// 总分 as the profile's scoring gives it.
    score_computed: Option<String>,
    /// 自评等级 as printed.
    grade: Option<&'a str>,
    /// The grade the total earns under the profile's bands.
    grade_computed: Option<&'a str>,
    /// The month a monitoring table runs to.
    month: Option<u32>,
}

fn scored(table: &jixiao::model::Table) -> Option<Scored<'_>> {
    if table.form.is_targets() {
        return None;
    }
    let total = table.total.as_ref();
    Some(Scored {
        project: table.display_name(),
        form: table.form.id(),
        form_name: table.form.label(),
        score: total
            .and_then(|t| t.score.as_ref())
            .map(|f| f.raw.as_str())
            .filter(|s| !s.is_empty()),
        score_computed: total
            .and_then(|t| t.score_computed)
            .map(|d| d.normalize().to_string()),
        grade: total
            .and_then(|t| t.grade.as_ref())
            .map(|g| g.text.as_str())
            .filter(|s| !s.is_empty()),
        grade_computed: total.and_then(|t| t.grade_computed.as_deref()),
        month: table.execution.as_ref().and_then(|e| e.month),
    })
}

/// One converted file: the summary as JSON, the workbook, and the document read (JSON, kept by
/// the page for next year's template).
#[wasm_bindgen]
pub struct Converted {
    summary: String,
    workbook: Vec<u8>,
    document: String,
}

#[wasm_bindgen]
impl Converted {
    /// The summary: `{tables, errors, warnings, infos, findings, projects}`.
    #[wasm_bindgen(getter)]
    pub fn summary(&self) -> String {
        self.summary.clone()
    }
    /// The converted workbook (xlsx bytes); taken once.
    #[wasm_bindgen(js_name = takeWorkbook)]
    pub fn take_workbook(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.workbook)
    }
    /// The document read, as the model's JSON.
    #[wasm_bindgen(getter)]
    pub fn document(&self) -> String {
        self.document.clone()
    }
}

/// `"classic"`, `"national"`, or anything else for each table's own layout.
fn layout_of(name: &str) -> Option<Layout> {
    match name {
        "classic" => Some(Layout::Classic),
        "national" => Some(Layout::National),
        _ => None,
    }
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// What the page shows about a rule file: what it sets, or what is wrong with it in the page's
/// own terms (the key at fault, whether the rule list answers it).
#[derive(serde::Serialize)]
struct RulesRead {
    ok: bool,
    /// What it sets (`ok`), or what is wrong (not `ok`), in Chinese.
    said: String,
    /// The key at fault (`rules.no.such-rule`).
    key: Option<String>,
    /// The fault is an unknown rule id: the page offers its list of rules.
    unknown_rule: bool,
}

/// Reads a rule file (`jixiao.toml`, as `jixiao --config`): JSON `{ok, said, key,
/// unknown_rule}` saying in Chinese what it sets or what is wrong and where.
///
/// # Errors
/// Never in practice (the JSON of a small struct).
#[wasm_bindgen(js_name = readRules)]
pub fn read_rules(text: &str, name: &str) -> Result<String, JsError> {
    let read = match Config::from_toml(text, name) {
        Ok(config) => {
            let mut said = vec![format!("{} 条规则的级别", config.rules.len())];
            if !config.profile.is_empty() {
                said.push(format!("{} 个模板的专门设置", config.profile.len()));
            }
            RulesRead {
                ok: true,
                said: format!("规则文件 {name}：设定了{}", said.join("、")),
                key: None,
                unknown_rule: false,
            }
        }
        // The message without the command line's pointer (`jixiao check --rules`): the page
        // shows its own list of rules.
        Err(e) => RulesRead {
            ok: false,
            said: format!("规则文件 {} 有误：{}", e.file, e.message),
            key: e.key,
            unknown_rule: e.unknown_rule,
        },
    };
    serde_json::to_string(&read).map_err(js_error)
}

/// The rule catalogue as JSON (`[{id, name, severity, checks, example}]`), for the page's list
/// of rules.
///
/// # Errors
/// Never in practice.
#[wasm_bindgen(js_name = ruleList)]
pub fn rule_list() -> Result<String, JsError> {
    serde_json::to_string(jixiao::CATALOGUE).map_err(js_error)
}

fn config_of(rules: &str, rules_name: &str) -> Result<Config, JsError> {
    if rules.is_empty() {
        Ok(Config::default())
    } else {
        Config::from_toml(rules, rules_name).map_err(js_error)
    }
}

/// Reads, checks and converts one file, as `jixiao convert` does; `now` is the browser's clock
/// (seconds since 1970, for the date on 汇总: std has no clock in a browser); `rules` the text of
/// a rule file named `rules_name` (empty: the built-in settings).
///
/// # Errors
/// The library's Chinese error naming the file (unreadable, no table found, …).
#[wasm_bindgen]
pub fn convert(
    name: &str,
    bytes: &[u8],
    layout: &str,
    now: f64,
    rules: &str,
    rules_name: &str,
) -> Result<Converted, JsError> {
    let config = config_of(rules, rules_name)?;
    let doc = jixiao::read_bytes(Path::new(name), bytes).map_err(js_error)?;
    let checked = jixiao::check::check_with(&doc, &config);
    let rendered = render(
        &doc,
        &checked,
        &Options {
            layout: layout_of(layout),
            date: Some(Date::from_unix_cst(now as i64)),
        },
    )
    .map_err(js_error)?;
    // What the workbook's 问题清单 lists: the checker's findings and the writer's own. The
    // writer lays every table out as a targets form: its read-back of a self-evaluation or
    // monitoring table reports the columns that form has no place for, not a fault of the
    // table, and is left out of the card (which shows what `jixiao check` finds for them).
    let targets_form = |f: &Finding| {
        f.table
            .and_then(|i| doc.tables.get(i))
            .map_or(true, |t| t.form.is_targets())
    };
    let findings: Vec<Finding> = rendered
        .findings
        .iter()
        .filter(|l| l.finding.rule != jixiao::write::readback::RULE || targets_form(&l.finding))
        .map(|l| l.finding.clone())
        .collect();
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let summary = Summary {
        tables: doc.tables.len(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        findings: &findings,
        projects: doc.tables.iter().map(|t| t.display_name()).collect(),
        scored: doc.tables.iter().filter_map(scored).collect(),
    };
    Ok(Converted {
        summary: serde_json::to_string(&summary).map_err(js_error)?,
        workbook: rendered.bytes,
        document: serde_json::to_string(&doc).map_err(js_error)?,
    })
}

/// Next year's blank template (`jixiao template --year`), one table.
///
/// # Errors
/// A year that is not a four-digit budget year (the library's check, as the command line's);
/// when the workbook cannot be written.
#[wasm_bindgen(js_name = templateBlank)]
pub fn template_blank(year: i32, layout: &str) -> Result<Vec<u8>, JsError> {
    let book = tw::blank(&Blank {
        year,
        layout: layout_of(layout).unwrap_or_default(),
        tables: 1,
        kind: jixiao::model::TableKind::Project,
        profile: None,
    })
    .map_err(js_error)?;
    Ok(book.bytes)
}

/// Next year's template prefilled from the documents read (`jixiao template --from`): `documents`
/// is a JSON array of `[file name, document]` pairs; `year` 0 means the latest table's plus one.
///
/// # Errors
/// When nothing can be carried over, the year is refused (as by the command line: not four
/// digits, before the tables' year) or missing, or the workbook cannot be written.
#[wasm_bindgen(js_name = templatePrefilled)]
pub fn template_prefilled(documents: &str, year: i32) -> Result<Vec<u8>, JsError> {
    let docs: Vec<(String, Document)> = serde_json::from_str(documents).map_err(js_error)?;
    let mut all = Document::default();
    let mut sources = Vec::new();
    for (name, doc) in docs {
        sources.push(name);
        all.append(doc);
    }
    if all.tables.is_empty() {
        return Err(JsError::new("没有读到任何绩效表，无法生成模板"));
    }
    let latest = all.tables.iter().filter_map(|t| t.year).max();
    let asked = (year != 0).then_some(year);
    let year = template::target_year(asked, latest).map_err(js_error)?.year;
    let tables_read = all.tables.len();
    let carried = template::next_year(
        &all,
        CarryOptions {
            year,
            keep_all: false,
            clear_amounts: false,
        },
    );
    if carried.doc.tables.is_empty() {
        return Err(JsError::new(&format!(
            "读到的 {tables_read} 张表都是一年期项目，没有可带入下一年的表，未生成模板"
        )));
    }
    let book = tw::prefilled(
        &carried,
        &Prefill {
            year,
            layout: None,
            sources,
            tables_read,
            cleared_amounts: false,
        },
    )
    .map_err(js_error)?;
    Ok(book.bytes)
}

/// The batch's 汇总 workbook, as `jixiao summary` writes it: `files` is a JSON array, in the
/// page's order, of `[file name, document, null, modified]` for a file read and `[file name,
/// null, reason, modified]` for one that failed (`modified`: the file's time in milliseconds
/// since 1970, as the browser gives it, or null; of the same project in two files the later
/// stands, as in `jixiao summary`); each document is checked under the rule file (`rules`,
/// `rules_name`; empty: the built-in settings) and graded as the command line does.
///
/// # Errors
/// When the JSON is not the page's, the rule file is refused, or the workbook cannot be written.
#[wasm_bindgen]
pub fn summary(files: &str, rules: &str, rules_name: &str) -> Result<Vec<u8>, JsError> {
    let config = config_of(rules, rules_name)?;
    type Entry = (String, Option<Document>, Option<String>, Option<f64>);
    let files: Vec<Entry> = serde_json::from_str(files).map_err(js_error)?;
    let mut roll = jixiao::region::summary::Summary::new();
    for (name, doc, reason, modified) in files {
        match doc {
            Some(mut doc) => {
                let findings = jixiao::check::check_with(&doc, &config);
                jixiao::check::grade(&mut doc, &findings);
                let modified = modified
                    .filter(|ms| ms.is_finite() && *ms >= 0.0)
                    .map(|ms| std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms as u64));
                roll.add_file_at(&name, modified, &doc, &findings);
            }
            None => roll.add_failure(&name, reason.as_deref().unwrap_or("")),
        }
    }
    roll.render().map_err(js_error)
}

/// The self-evaluation forms (`month` 0) or the monitoring forms of month `month` prefilled from
/// the targets tables of the documents read, as `jixiao selfeval --from` / `jixiao monitor
/// --from … --month` write them with the built-in national form: `documents` is a JSON array of
/// `[file name, document]` pairs, in the page's order.
///
/// # Errors
/// When no targets table was read, the month is not 1–12, or the workbook cannot be written.
#[wasm_bindgen(js_name = selfevalPrefilled)]
pub fn selfeval_prefilled(documents: &str, month: u32) -> Result<Prefilled, JsError> {
    use jixiao::write::selfeval::from_targets as ft;
    let docs: Vec<(String, Document)> = serde_json::from_str(documents).map_err(js_error)?;
    if month > 12 {
        return Err(JsError::new(&format!("月份 {month} 不在 1–12 之内")));
    }
    let month = (month > 0).then_some(month);
    let files = docs.len();
    let mut all = Document::default();
    for (_, doc) in docs {
        all.append(doc);
    }
    let profiles = jixiao::read::Profiles::builtin();
    let profile = ft::form_profile(&profiles, None, month, ft::kind_of(&all)).map_err(js_error)?;
    let made = ft::from_targets(&all, profile, month).map_err(js_error)?;
    let mut said = format!(
        "{} 张{}（{}；读取 {files} 个文件中的 {} 张表），指标 {} 个，附“{}”",
        made.book.sheets.len(),
        ft::form_name(month),
        profile.name,
        all.tables.len(),
        made.indicators,
        jixiao::write::selfeval::GUIDE_SHEET
    );
    if made.duplicates > 0 {
        said.push_str(&format!(
            "；另有 {} 张表与已生成的项目重复，只生成一份",
            made.duplicates
        ));
    }
    if !made.others.is_empty() {
        said.push_str(&format!(
            "；{} 张表未生成（{}）",
            made.others.len(),
            made.others
                .iter()
                .map(|o| format!("{}：{}", o.name, o.why))
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    if !made.differences.is_empty() {
        // As the command line's stderr: never silent.
        let list: Vec<String> = made
            .differences
            .iter()
            .map(|d| {
                let sheet = made.book.sheets.get(d.table).map_or("", String::as_str);
                format!("「{sheet}」{}", d.message())
            })
            .collect();
        said.push_str(&format!(
            "；错误：回读不一致 {} 处（写出后重新读取与绩效目标表不符）：{}",
            list.len(),
            list.join("；")
        ));
    }
    Ok(Prefilled {
        said,
        workbook: made.book.bytes,
    })
}

/// A prefilled self-evaluation or monitoring workbook and what it holds, in Chinese.
#[wasm_bindgen]
pub struct Prefilled {
    said: String,
    workbook: Vec<u8>,
}

#[wasm_bindgen]
impl Prefilled {
    /// What was made (`3 张绩效自评表（…），指标 27 个…`).
    #[wasm_bindgen(getter)]
    pub fn said(&self) -> String {
        self.said.clone()
    }
    /// The workbook (xlsx bytes); taken once.
    #[wasm_bindgen(js_name = takeWorkbook)]
    pub fn take_workbook(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.workbook)
    }
}

/// The folders jixiao wrote among the files of dropped or chosen folders (their paths, as a JSON
/// array of `/`-separated paths starting with the folder given), as a JSON array: the page skips
/// them as `jixiao` skips them when it searches a folder.
///
/// # Errors
/// When the JSON is not an array of strings.
#[wasm_bindgen(js_name = outputFolders)]
pub fn output_folders(paths: &str) -> Result<String, JsError> {
    let paths: Vec<String> = serde_json::from_str(paths).map_err(js_error)?;
    let found = jixiao::read::output_folders_among(paths.iter().map(String::as_str));
    serde_json::to_string(&found).map_err(js_error)
}

/// The map of how one file was read (`jixiao explain`): a copy of each sheet, every cell
/// coloured by what it was read as, with 读取说明 and 图例.
///
/// # Errors
/// The library's Chinese error naming the file (unreadable, no table found, …).
#[wasm_bindgen]
pub fn explain(name: &str, bytes: &[u8]) -> Result<Vec<u8>, JsError> {
    let explained =
        jixiao::explain::explain(Path::new(name), bytes, &jixiao::ReadOptions::default())
            .map_err(js_error)?;
    jixiao::explain::render(&explained).map_err(js_error)
}

/// Panics on purpose: the page's tests use it (`#test-panic`) to show a panic fails one file only.
#[wasm_bindgen(js_name = panicForTest)]
pub fn panic_for_test() {
    panic!("测试用的模块崩溃");
}
