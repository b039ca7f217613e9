//! The fixture workbooks of the form family (`tests/fixtures/`), each read with
//! [`jixiao::read_file`] and compared field by field with its hand-written truth
//! (`X.truth.json`; conventions in `tests/fixtures/README.md`).
//!
//! One test per workbook. A fixture the reader does not read correctly yet is ignored with the
//! reason; `cargo test --test it fixtures:: -- --ignored` lists what still differs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use jixiao::model::{Document, Indicator, Table};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::common::root;

/// The truth of one workbook.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Truth {
    /// The profile every table is read with (a table may say otherwise).
    #[serde(default)]
    profile: Option<String>,
    tables: Vec<TableTruth>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableTruth {
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    sheet: Option<String>,
    kind: String,
    year: Option<i32>,
    #[serde(default)]
    project: ProjectTruth,
    #[serde(default)]
    funding: FundingTruth,
    #[serde(default)]
    funding_lines: Vec<LineTruth>,
    #[serde(default)]
    goal: String,
    #[serde(default)]
    long_term_goal: String,
    #[serde(default)]
    indicators: Vec<IndicatorTruth>,
    #[serde(default)]
    other_grids: Vec<GridTruth>,
    #[serde(default)]
    metadata: Vec<MetaTruth>,
    #[serde(default)]
    department: Option<DepartmentTruth>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectTruth {
    #[serde(default)]
    name: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    department_code: Option<String>,
    #[serde(default)]
    implementing_unit: String,
    #[serde(default)]
    implementing_unit_code: Option<String>,
    #[serde(default)]
    attribute: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    code: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FundingTruth {
    #[serde(default)]
    total: Option<String>,
    #[serde(default)]
    annual_total: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineTruth {
    label: String,
    amount: Option<String>,
    parent: Option<String>,
    scope: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorTruth {
    level1: String,
    level2: String,
    name: String,
    value: String,
    #[serde(default)]
    nature: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    weight: Option<String>,
    #[serde(default)]
    class: Option<String>,
    #[serde(default)]
    extra: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GridTruth {
    key: String,
    indicators: Vec<IndicatorTruth>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaTruth {
    label: String,
    value: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DepartmentTruth {
    #[serde(default)]
    duties: String,
    #[serde(default)]
    tasks: Vec<TaskTruth>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaskTruth {
    #[serde(default)]
    function: String,
    #[serde(default)]
    task: String,
    #[serde(default)]
    project: String,
    amount: Option<String>,
}

fn fixtures_dir() -> PathBuf {
    root().join("tests").join("fixtures")
}

/// The truth of `file`: `X.truth.json` for `X.xlsx` and for its re-saves `X.ods` / `X.xls`.
fn truth_of(file: &str) -> Truth {
    let stem = Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(file);
    // A fixture in a folder (`corpus/anxi-2022.xlsx`) has its truth beside it.
    let dir = Path::new(file).parent().unwrap_or(Path::new(""));
    let path = fixtures_dir().join(dir).join(format!("{stem}.truth.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Text as compared: trimmed, inner whitespace removed (line breaks in wrapped cells).
fn text(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn decimal(s: &str, what: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("truth {what}: {s:?} is not a decimal: {e}"))
}

fn show(d: Option<Decimal>) -> String {
    d.map_or_else(|| "none".to_string(), |d| d.normalize().to_string())
}

/// What a comparison covers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Every field of the truth.
    Full,
    /// Only the fields the model had before version 2 (header, totals, goal, the annual grid's
    /// levels, names, values and classes): what the reader is held to while it is rewritten.
    V1,
}

/// The differences between what was read and the truth, one line each.
struct Diff {
    fixture: String,
    scope: Scope,
    lines: Vec<String>,
}

impl Diff {
    fn text(&mut self, table: usize, field: &str, got: &str, want: &str) {
        if text(got) != text(want) {
            self.push(table, field, format!("got {got:?}, want {want:?}"));
        }
    }

    fn amount(&mut self, table: usize, field: &str, got: Option<Decimal>, want: Option<&str>) {
        let want = want.map(|w| decimal(w, field));
        if got != want {
            self.push(
                table,
                field,
                format!("got {}, want {}", show(got), show(want)),
            );
        }
    }

    fn push(&mut self, table: usize, field: &str, what: String) {
        self.lines.push(format!(
            "{}, table {}, {field}: {what}",
            self.fixture,
            table + 1
        ));
    }
}

fn compare(fixture: &str, doc: &Document, truth: &Truth, scope: Scope) -> Vec<String> {
    let mut d = Diff {
        fixture: fixture.to_string(),
        scope,
        lines: Vec::new(),
    };
    if doc.tables.len() != truth.tables.len() {
        d.lines.push(format!(
            "{fixture}: {} tables read, want {} ({})",
            doc.tables.len(),
            truth.tables.len(),
            doc.tables
                .iter()
                .map(|t| t.display_name().to_string())
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    for (i, (got, want)) in doc.tables.iter().zip(&truth.tables).enumerate() {
        compare_table(&mut d, i, got, want, truth.profile.as_deref());
    }
    d.lines
}

fn compare_table(d: &mut Diff, i: usize, got: &Table, want: &TableTruth, profile: Option<&str>) {
    let full = d.scope == Scope::Full;
    if let Some(p) = want.profile.as_deref().or(profile).filter(|_| full) {
        d.text(i, "profile", &got.profile.id, p);
    }
    if let Some(sheet) = &want.sheet {
        d.text(i, "source.sheet", &got.source.sheet, sheet);
    }
    if full {
        d.text(i, "kind", &id(got.kind), &want.kind);
    }
    if got.year != want.year {
        d.push(
            i,
            "year",
            format!("got {:?}, want {:?}", got.year, want.year),
        );
    }
    let (p, w) = (&got.project, &want.project);
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    d.text(i, "project.name", &p.name, &w.name);
    d.text(i, "project.department", &p.department, &w.department);
    d.text(
        i,
        "project.department_code",
        &opt(&p.department_code),
        &opt(&w.department_code),
    );
    d.text(
        i,
        "project.implementing_unit",
        &p.implementing_unit,
        &w.implementing_unit,
    );
    d.text(i, "project.attribute", &p.attribute, &w.attribute);
    d.text(i, "project.period", &p.period, &w.period);
    if full {
        d.text(
            i,
            "project.implementing_unit_code",
            &opt(&p.implementing_unit_code),
            &opt(&w.implementing_unit_code),
        );
        d.text(i, "project.category", &p.category, &w.category);
        d.text(i, "project.code", &opt(&p.code), &opt(&w.code));
    }
    d.amount(
        i,
        "funding.total",
        got.funding.total,
        want.funding.total.as_deref(),
    );
    d.amount(
        i,
        "funding.annual_total",
        got.funding.annual_total,
        want.funding.annual_total.as_deref(),
    );
    d.text(i, "goal", &got.goal, &want.goal);
    compare_grid(d, i, "indicators", &got.indicators, &want.indicators);
    if !full {
        return;
    }
    compare_lines(d, i, got, &want.funding_lines);
    d.text(
        i,
        "long_term_goal",
        &got.long_term_goal,
        &want.long_term_goal,
    );
    if got.other_grids.len() != want.other_grids.len() {
        d.push(
            i,
            "other_grids",
            format!(
                "got {} grids ({}), want {}",
                got.other_grids.len(),
                got.other_grids
                    .iter()
                    .map(|g| g.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                want.other_grids.len()
            ),
        );
    }
    for wg in &want.other_grids {
        match got.other_grids.iter().find(|g| g.key == wg.key) {
            Some(g) => compare_grid(
                d,
                i,
                &format!("other_grids[{}]", wg.key),
                &g.indicators,
                &wg.indicators,
            ),
            None => d.push(i, "other_grids", format!("no grid {:?}", wg.key)),
        }
    }
    compare_metadata(d, i, got, &want.metadata);
    compare_department(d, i, got, want.department.as_ref());
}

/// The JSON spelling of a model enum (`project`, `mid-term`, `cost`).
fn id<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Funding lines, matched by printed label and scope (a table prints the same label in its
/// 中期 and 年度 columns); every line read must be in the truth and every truth line read.
fn compare_lines(d: &mut Diff, i: usize, got: &Table, want: &[LineTruth]) {
    let lines = &got.funding.lines;
    let scope_of = |l: &jixiao::model::FundingLine| id(l.scope);
    let mut used = vec![false; lines.len()];
    for w in want {
        let found = lines
            .iter()
            .enumerate()
            .find(|(k, l)| !used[*k] && text(&l.label) == text(&w.label) && scope_of(l) == w.scope);
        let Some((k, line)) = found else {
            d.push(
                i,
                "funding.lines",
                format!("no {} line {:?}", w.scope, w.label),
            );
            continue;
        };
        used[k] = true;
        let field = format!("funding.lines[{} {}]", w.scope, w.label);
        d.amount(
            i,
            &format!("{field}.amount"),
            line.amount,
            w.amount.as_deref(),
        );
        let parent = line
            .parent
            .and_then(|p| lines.get(p))
            .map(|p| p.label.clone())
            .unwrap_or_default();
        d.text(
            i,
            &format!("{field}.parent"),
            &parent,
            w.parent.as_deref().unwrap_or(""),
        );
    }
    for (k, l) in lines.iter().enumerate() {
        if !used[k] {
            d.push(
                i,
                "funding.lines",
                format!(
                    "unexpected {} line {:?} = {}",
                    scope_of(l),
                    l.label,
                    show(l.amount)
                ),
            );
        }
    }
}

fn compare_grid(d: &mut Diff, i: usize, grid: &str, got: &[Indicator], want: &[IndicatorTruth]) {
    if got.len() != want.len() {
        d.push(
            i,
            grid,
            format!(
                "{} rows read, want {} (names read: {})",
                got.len(),
                want.len(),
                got.iter()
                    .map(|g| g.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" / ")
            ),
        );
    }
    for (k, (g, w)) in got.iter().zip(want).enumerate() {
        let f = |what: &str| format!("{grid}[{k}] ({}).{what}", w.name);
        d.text(i, &f("level1"), &g.level1, &w.level1);
        d.text(i, &f("level2"), &g.level2, &w.level2);
        d.text(i, &f("name"), &g.name, &w.name);
        d.text(i, &f("value.raw"), &g.value.raw, &w.value);
        if let Some(c) = &w.class {
            d.text(i, &f("class"), &id(g.class), c);
        }
        // A 二级 row printed blank has no value, so no value cell.
        let blank = w.name.is_empty() && w.value.is_empty();
        if g.cell.is_none() && !blank {
            d.push(i, &f("cell"), "no value cell".into());
        }
        if d.scope == Scope::V1 {
            continue;
        }
        if let Some(n) = &w.nature {
            d.text(i, &f("nature"), g.nature.as_deref().unwrap_or(""), n);
        }
        if let Some(u) = &w.unit {
            d.text(
                i,
                &f("unit_column"),
                g.unit_column.as_deref().unwrap_or(""),
                u,
            );
        }
        if let Some(wt) = &w.weight {
            d.amount(i, &f("weight"), g.weight, Some(wt));
        }
        for (header, value) in &w.extra {
            let found = g
                .extra
                .iter()
                .find(|(h, _)| text(h) == text(header))
                .map(|(_, v)| v.as_str());
            d.text(
                i,
                &f(&format!("extra[{header}]")),
                found.unwrap_or("(missing)"),
                value,
            );
        }
    }
}

/// Metadata: the same labelled fields (label without its trailing colon), the same values.
fn compare_metadata(d: &mut Diff, i: usize, got: &Table, want: &[MetaTruth]) {
    let label = |s: &str| text(s).trim_end_matches(['：', ':']).to_string();
    let mut used = vec![false; got.metadata.len()];
    for w in want {
        let found = got
            .metadata
            .iter()
            .enumerate()
            .find(|(k, m)| !used[*k] && label(&m.label) == label(&w.label));
        match found {
            Some((k, m)) => {
                used[k] = true;
                d.text(i, &format!("metadata[{}]", w.label), &m.value, &w.value);
            }
            None => d.push(i, "metadata", format!("no field {:?}", w.label)),
        }
    }
    for (k, m) in got.metadata.iter().enumerate() {
        if !used[k] {
            d.push(
                i,
                "metadata",
                format!("unexpected field {:?} = {:?}", m.label, m.value),
            );
        }
    }
}

fn compare_department(d: &mut Diff, i: usize, got: &Table, want: Option<&DepartmentTruth>) {
    let empty = DepartmentTruth::default();
    let want = want.unwrap_or(&empty);
    let none = jixiao::model::DepartmentPart::default();
    let part = got.department.as_ref().unwrap_or(&none);
    d.text(i, "department.duties", &part.duties, &want.duties);
    if part.tasks.len() != want.tasks.len() {
        d.push(
            i,
            "department.tasks",
            format!("{} rows read, want {}", part.tasks.len(), want.tasks.len()),
        );
    }
    for (k, (g, w)) in part.tasks.iter().zip(&want.tasks).enumerate() {
        let f = |what: &str| format!("department.tasks[{k}].{what}");
        d.text(i, &f("function"), &g.function, &w.function);
        d.text(i, &f("task"), &g.task, &w.task);
        d.text(i, &f("project"), &g.project, &w.project);
        d.amount(i, &f("amount"), g.amount, w.amount.as_deref());
    }
}

/// Reads one fixture and asserts it equals its truth, in `scope`.
fn check(file: &str, scope: Scope) {
    let path = fixtures_dir().join(file);
    let truth = truth_of(file);
    let doc = jixiao::read_file(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let diffs = compare(file, &doc, &truth, scope);
    assert!(
        diffs.is_empty(),
        "{file}: {} differences from {}:\n{}",
        diffs.len(),
        file.rsplit_once('.').map_or(file, |(s, _)| s).to_string() + ".truth.json",
        diffs.join("\n")
    );
}

macro_rules! fixtures {
    ($($(#[$attr:meta])* $test:ident => $file:literal;)*) => {
        $(
            $(#[$attr])*
            #[test]
            fn $test() {
                check($file, Scope::Full);
            }
        )*

        /// Every workbook under tests/fixtures/ has a test above (and so a truth).
        #[test]
        fn every_fixture_has_a_test() {
            let listed: Vec<&str> = vec![$($file),*];
            let mut on_disk: Vec<String> = std::fs::read_dir(fixtures_dir())
                .expect("tests/fixtures is readable")
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| jixiao::read::is_workbook_name(Path::new(n)))
                .collect();
            on_disk.sort();
            let missing: Vec<&String> =
                on_disk.iter().filter(|n| !listed.contains(&n.as_str())).collect();
            assert!(missing.is_empty(), "fixtures without a test: {missing:?}");
            for file in listed {
                assert!(fixtures_dir().join(file).is_file(), "{file} is listed but missing");
                let truth = truth_of(file);
                assert!(!truth.tables.is_empty(), "{file}: truth without tables");
            }
        }
    };
}

fixtures! {
    national_form => "national.xlsx";
    national_form_ods => "national.ods";
    hunan_form => "hunan.xlsx";
    hunan_form_xls => "hunan.xls";
    central_form => "central.xlsx";
    department_form => "department.xlsx";
    department_form_ods => "department.ods";
    ningxia_form_other_department => "ningxia.xlsx";
    ningxia_contacts_in_header => "ningxia-contacts.xlsx";
    ningxia_multi_year => "ningxia-multi-year.xlsx";
    funding_by_source => "funding-sources.xlsx";
    hunan_2021_long_term_grid => "hunan-2021.xlsx";
    gansu_provincial_and_county_funds => "gansu.xlsx";
    chizhou_codes_scores_zero_total => "chizhou.xlsx";
    amounts_in_yuan => "yuan.xlsx";
    values_as_typed => "values.xlsx";
    category_beside_attribute => "category.xlsx";
    level_names_elsewhere => "level-names.xlsx";
    ezhou_cost_block => "ezhou.xlsx";
    daqing_planned_level_columns => "daqing.xlsx";
    county_overview_contacts_code => "overview.xlsx";
    county_overview_wps_et => "overview.et";
    scores_and_value_types => "scores-types.xlsx";
    yuan_lines_in_a_wan_table => "mixed-units.xlsx";
    two_tables_stacked => "stacked.xlsx";
    department_package => "package.xlsx";
    yunnan_preamble_unit_and_note => "yunnan.xlsx";
    zhejiang_merges_code_and_footer_cell => "zhejiang.xlsx";
    sichuan_department_tasks => "sichuan-department.xlsx";
    guangzhou_two_columns_overall_goal => "guangzhou.xlsx";
    // Published tables of the corpus (tests/fixtures/corpus/, issue 19) that read exactly.
    corpus_anxi_villages_one_row_grid => "corpus/anxi-2022.xlsx";
    corpus_banan_year_in_spaced_brackets => "corpus/banan-2021.xlsx";
    corpus_qingjian_poverty_fund => "corpus/qingjian-2021.xlsx";
    corpus_yangquan_mid_term_totals => "corpus/yangquan-2021.xlsx";
    corpus_ningde_department_task_of_basic_spending => "corpus/ningde-2019.xlsx";
    corpus_ningde_department_task_of_basic_spending_ods => "corpus/ningde-2019.ods";
    corpus_jingyan_flat_list_of_a_units_projects => "corpus/jingyan-2023.xlsx";
    corpus_fengjie_code_and_class_beside_funding => "corpus/fengjie-2023.xlsx";
    corpus_wuchuan_source_named_before_amount => "corpus/wuchuan-2021.xlsx";
    corpus_yueyang_amount_typed_twice => "corpus/yueyang-2022.xlsx";
    corpus_nanyue_goal_beside_a_second_heading => "corpus/nanyue-2018a.xlsx";
    corpus_nanyue_review_rows_under_the_grid => "corpus/nanyue-2018b.xlsx";
    corpus_nanyue_review_rows_under_the_grid_xls => "corpus/nanyue-2018b.xls";
    corpus_shucheng_investment_plan_framework => "corpus/shucheng-2023.xlsx";
    corpus_shucheng_investment_plan_framework_ods => "corpus/shucheng-2023.ods";
    corpus_baodi_investment_plan_subtitle => "corpus/baodi-2022.xlsx";
    corpus_linyi_level_names_by_meaning => "corpus/linyi-2025.xlsx";
    corpus_linyi_level_names_by_meaning_ods => "corpus/linyi-2025.ods";
    corpus_longyan_region_value_columns => "corpus/longyan-2023.xlsx";
    corpus_bingtuan_project_and_year_spans_side_by_side => "corpus/bingtuan-2021.xlsx";
    corpus_xiangtan_several_pairs_in_one_cell => "corpus/xiangtan-2023.xlsx";
    corpus_xiangtan_several_pairs_in_one_cell_xls => "corpus/xiangtan-2023.xls";
    corpus_xiangtan_code_after_name_numbered_lines_headings => "corpus/xiangtan-2024.xlsx";
    corpus_nanyue_checkbox_and_funding_by_source_in_columns => "corpus/nanyue-2023.xlsx";
    corpus_shanghai_header_block_without_grid => "corpus/shanghai-2019.xlsx";
    corpus_wuhai_date_serial_repeated_as_unit => "corpus/wuhai-2021.xlsx";
    corpus_yueyanglou_department_blank_level2_row => "corpus/yueyanglou-2023.xlsx";
    corpus_yueyanglou_department_blank_level2_row_ods => "corpus/yueyanglou-2023.ods";
    corpus_shengdengshan_blank_labels_and_footer_line => "corpus/shengdengshan-2022.xlsx";
    corpus_tongnan_table_number_lines_stacked => "corpus/tongnan-2023.xlsx";
    corpus_tongnan_table_number_lines_stacked_xls => "corpus/tongnan-2023.xls";
    corpus_zhongxian_regional_table_of_the_lowest_level => "corpus/zhongxian-2022.xlsx";
    corpus_wuqia_header_cut_off_after_two_rows => "corpus/wuqia-2021.xlsx";
    corpus_wuhan_qingshan_groups_named_in_the_header_two_spans => "corpus/wuhan-qingshan-2020.xlsx";
    corpus_chencang_block_heading_over_its_first_line => "corpus/chencang-2024.xlsx";
    corpus_wuhu_sources_as_headings_year_line_stamp_line => "corpus/wuhu-2019.xlsx";
    corpus_mengcheng_part_line_under_its_total => "corpus/mengcheng-2024.xlsx";
    corpus_mengcheng_part_line_under_its_total_xls => "corpus/mengcheng-2024.xls";
    corpus_zhaohua_numbered_lines_under_a_heading_row => "corpus/zhaohua-2021.xlsx";
    corpus_zhaohua_numbered_lines_under_a_heading_row_xls => "corpus/zhaohua-2021.xls";
    corpus_fuliang_department_export_short_labels => "corpus/fuliang-2026.xlsx";
    corpus_fuliang_department_export_short_labels_ods => "corpus/fuliang-2026.ods";
    corpus_shizuishan_outline_told_by_indentation => "corpus/shizuishan-2020.xlsx";
    corpus_guangshui_money_block_with_share_and_earlier_years => "corpus/guangshui-2023.xlsx";
    corpus_guangshui_money_block_with_share_and_earlier_years_ods => "corpus/guangshui-2023.ods";
    corpus_chencang_heading_row_over_the_amounts => "corpus/chencang-2020.xlsx";
    corpus_dongguan_budget_unit_line_above_column_groups => "corpus/dongguan-2019.xlsx";
    corpus_guangshui_money_block_with_blank_year_headings => "corpus/guangshui-2021.xlsx";
    corpus_guangshui_money_block_with_blank_year_headings_ods => "corpus/guangshui-2021.ods";
    corpus_ningxiang_breakdown_in_brackets_section_heading => "corpus/ningxiang-2021.xlsx";
    corpus_ningxiang_breakdown_in_brackets_section_heading_xls => "corpus/ningxiang-2021.xls";
    corpus_gxglmes_blank_boxes_lines_by_budget_type => "corpus/gxglmes-2021.xlsx";
}

/// Fixtures whose fields of the version-1 model (header, totals, goal, the annual grid's
/// levels, names, values and classes) the reader already reads exactly: held there while the
/// reader is rewritten. A fixture leaves this list when its full test above runs un-ignored.
const V1_READ_TODAY: &[&str] = &[
    "national.xlsx",
    "national.ods",
    "ningxia.xlsx",
    "ningxia-multi-year.xlsx",
    "funding-sources.xlsx",
    "gansu.xlsx",
    "values.xlsx",
    "category.xlsx",
    "stacked.xlsx",
];

#[test]
fn version_1_fields_stay_read() {
    let mut diffs = Vec::new();
    for file in V1_READ_TODAY {
        let truth = truth_of(file);
        let doc =
            jixiao::read_file(&fixtures_dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        diffs.extend(compare(file, &doc, &truth, Scope::V1));
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

/// The check set (tests/fixtures/check/, for the checking rules): every workbook has its
/// hand-written expectation in expected.json and every expectation its workbook.
#[test]
fn check_set_has_an_expectation_per_workbook() {
    let dir = fixtures_dir().join("check");
    let text = std::fs::read_to_string(dir.join("expected.json")).expect("check/expected.json");
    let expected: serde_json::Value = serde_json::from_str(&text).expect("expected.json parses");
    let files = expected["files"]
        .as_object()
        .expect("expected.json has files");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/check is readable")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| jixiao::read::is_workbook_name(Path::new(n)))
        .collect();
    on_disk.sort();
    let listed: Vec<&String> = files.keys().collect();
    assert_eq!(
        on_disk.iter().collect::<Vec<_>>(),
        listed,
        "check/*.xlsx and the files of check/expected.json differ"
    );
    for (file, e) in files {
        let kind = e["kind"].as_str().unwrap_or("");
        assert!(
            e["no_findings_above"].is_string(),
            "{file}: no_findings_above missing"
        );
        match kind {
            "legitimate" => {}
            "faulty" => {
                let expect = e["expect"].as_array();
                assert!(
                    expect.is_some_and(|x| !x.is_empty()),
                    "{file}: a faulty file names the finding it must draw"
                );
                for x in expect.into_iter().flatten() {
                    assert!(x["rule"].is_string(), "{file}: expect without a rule");
                    assert!(
                        matches!(x["severity"].as_str(), Some("error" | "warning")),
                        "{file}: expect without error/warning"
                    );
                }
            }
            other => panic!("{file}: kind {other:?} is neither legitimate nor faulty"),
        }
        if let Some(base) = e["base"].as_str() {
            assert!(dir.join(base).is_file(), "{file}: base {base} missing");
        }
    }
}

/// A 成本指标 printed as a 二级 under 产出指标 makes the table the classic generation even
/// when its value columns are split (指标值类型 | 计量单位): the checker then does not ask for
/// a 成本指标 first level the form never had.
#[test]
fn cost_under_output_is_the_classic_generation() {
    for (file, want) in [
        ("scores-types.xlsx", jixiao::model::Layout::Classic),
        ("daqing.xlsx", jixiao::model::Layout::Classic),
        ("overview.xlsx", jixiao::model::Layout::National),
    ] {
        let doc =
            jixiao::read_file(&fixtures_dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(doc.tables[0].layout, want, "{file}");
    }
}
