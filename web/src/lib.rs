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

/// Reads a rule file (`jixiao.toml`, as `jixiao --config`) and says in Chinese what it sets.
///
/// # Errors
/// The checker's Chinese message naming the file and the key or line at fault.
#[wasm_bindgen(js_name = readRules)]
pub fn read_rules(text: &str, name: &str) -> Result<String, JsError> {
    let config = Config::from_toml(text, name).map_err(js_error)?;
    let mut said = vec![format!("{} 条规则的级别", config.rules.len())];
    if !config.profile.is_empty() {
        said.push(format!("{} 个模板的专门设置", config.profile.len()));
    }
    Ok(format!("规则文件 {name}：设定了{}", said.join("、")))
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
    // What the workbook's 问题清单 lists: the checker's findings and the writer's own.
    let findings: Vec<Finding> = rendered
        .findings
        .iter()
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
/// When the workbook cannot be written.
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
/// When nothing can be carried over, the tables have no year, or the workbook cannot be written.
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
    let year = match (year, latest) {
        (y, _) if y > 0 => y,
        (_, Some(y)) => y + 1,
        (_, None) => return Err(JsError::new("表格中没有年度，请填写模板年度")),
    };
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

/// Panics on purpose: the page's tests use it (`#test-panic`) to show a panic fails one file only.
#[wasm_bindgen(js_name = panicForTest)]
pub fn panic_for_test() {
    panic!("测试用的模块崩溃");
}
