//! Templates: a blank workbook reads back as empty tables and is protected, with dropdowns and
//! formulas; next year's workbook from the seed reads back to exactly what was carried; the
//! command end to end; a LibreOffice render on A4.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use jixiao::check::Vocab;
use jixiao::model::{Document, Funding, Layout, Table};
use jixiao::read::labels::Framework;
use jixiao::template::write::{
    self as tw, Blank, Book, Prefill, FINDINGS_SHEET, LISTS_SHEET, NOTES_SHEET,
};
use jixiao::template::{self, guide::GUIDE_SHEET, Carried, CarryOptions};
use jixiao::write::form;
use jixiao::write::layout::FormLayout;

use crate::common::{self, sample};

fn blank(layout: Layout, tables: usize) -> Book {
    tw::blank(&Blank {
        year: 2027,
        layout,
        tables,
        kind: jixiao::model::TableKind::Project,
        profile: None,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

fn reread(bytes: &[u8]) -> Document {
    jixiao::read_bytes(Path::new("模板.xlsx"), bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// One part of the xlsx package, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut s)
        .expect("utf-8");
    s
}

/// Every cell of a sheet as text, by address.
fn cells(bytes: &[u8], sheet: &str) -> HashMap<String, String> {
    let mut xlsx = Xlsx::new(Cursor::new(bytes.to_vec())).expect("xlsx");
    let range = xlsx.worksheet_range(sheet).expect("sheet");
    let mut out = HashMap::new();
    for (r, c, v) in range.used_cells() {
        let (r, c) = (r as u32 + range.start().map_or(0, |s| s.0), c as u32);
        let c = c + range.start().map_or(0, |s| s.1);
        let text = match v {
            Data::String(s) => s.clone(),
            Data::Float(f) => f.to_string(),
            Data::Empty => continue,
            other => other.to_string(),
        };
        out.insert(jixiao::CellRef::new(r, c).to_string(), text);
    }
    out
}

/// The style index (`s="N"`) of a cell in a sheet's XML.
fn style_of(xml: &str, cell: &str) -> usize {
    let at = xml
        .find(&format!("<c r=\"{cell}\""))
        .unwrap_or_else(|| panic!("no cell {cell}"));
    let tag = &xml[at..at + xml[at..].find('>').unwrap_or(0)];
    tag.split(" s=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The fill of each cell format (`cellXfs`): its `fillId`.
fn fill_ids(styles: &str) -> Vec<usize> {
    let start = styles.find("<cellXfs").expect("cellXfs");
    let end = styles[start..].find("</cellXfs>").expect("end") + start;
    styles[start..end]
        .split("<xf ")
        .skip(1)
        .map(|xf| {
            xf.split("fillId=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|s| s.parse().ok())
                .unwrap_or(0)
        })
        .collect()
}

/// Whether each cell format (`cellXfs`) is unlocked.
fn unlocked_styles(styles: &str) -> Vec<bool> {
    let start = styles.find("<cellXfs").expect("cellXfs");
    let end = styles[start..].find("</cellXfs>").expect("end") + start;
    styles[start..end]
        .split("<xf ")
        .skip(1)
        .map(|xf| xf.contains("locked=\"0\""))
        .collect()
}

fn sheet_part(book: &Book, sheet: &str) -> String {
    let n = book
        .all_sheets
        .iter()
        .position(|s| s == sheet)
        .expect("sheet");
    format!("xl/worksheets/sheet{}.xml", n + 1)
}

#[test]
fn blank_template_reads_back_as_empty_tables() {
    for layout in [Layout::Classic, Layout::National] {
        let book = blank(layout, 3);
        assert_eq!(book.sheets, ["绩效表1", "绩效表2", "绩效表3"]);
        let doc = reread(&book.bytes);
        assert_eq!(
            doc.tables.len(),
            3,
            "{layout:?}: only the forms read as tables (not 填报说明, not the lists)"
        );
        let req = Framework::builtin()
            .required(layout)
            .expect("required levels");
        for t in &doc.tables {
            assert_eq!(t.year, Some(2027));
            // The national title without a province, whatever the layout.
            assert_eq!(t.title, "2027年项目支出绩效目标表");
            assert_eq!(t.layout, layout);
            assert_eq!(t.project, Default::default());
            assert_eq!(t.funding.views(), Funding::default());
            assert_eq!(t.goal, "");
            // One indicator per required 二级 (its spare rows read as nothing), all empty.
            let level2: Vec<&str> = t.indicators.iter().map(|i| i.level2.as_str()).collect();
            assert_eq!(level2, req.level2, "{layout:?}");
            for ind in &t.indicators {
                assert_eq!(ind.name, "");
                assert!(ind.value.is_empty());
                assert!(req.level1.contains(&ind.level1), "{}", ind.level1);
            }
        }
    }
}

#[test]
fn blank_template_is_protected_with_unlocked_inputs_dropdowns_and_formulas() {
    let book = blank(Layout::Classic, 1);
    assert_eq!(
        book.all_sheets,
        ["绩效表", GUIDE_SHEET, LISTS_SHEET],
        "forms, the guide, the hidden lists last"
    );
    let workbook = part(&book.bytes, "xl/workbook.xml");
    assert!(
        workbook.contains(&format!(
            "name=\"{LISTS_SHEET}\" sheetId=\"3\" state=\"hidden\""
        )),
        "{workbook}"
    );
    let xml = part(&book.bytes, "xl/worksheets/sheet1.xml");
    let styles = part(&book.bytes, "xl/styles.xml");
    let unlocked = unlocked_styles(&styles);

    assert!(xml.contains("<sheetProtection"), "protected");
    assert!(!xml.contains("password="), "without a password");
    assert!(xml.contains("insertRows=\"0\""), "rows may be inserted");

    // Labels locked, inputs unlocked (also the empty ones, as formatted blanks).
    let plan = form::plan(
        &tw::blank_table(2027, Layout::Classic),
        FormLayout::builtin(Layout::Classic),
    );
    let f = |k: &str| plan.fields[k].to_string();
    for label in ["A1", "A4", "A5", "C5", "A13"] {
        assert!(!unlocked[style_of(&xml, label)], "{label} is locked");
    }
    for input in [
        f("project.name"),
        f("project.attribute"),
        f("funding.total"),
        f("funding.own.fiscal"),
        f("goal"),
        f("indicators[0].name"),
        f("indicators[0].value"),
        f("indicators[0].level1"),
        "C15".into(), // the spare row under 数量指标
        "E15".into(),
    ] {
        assert!(unlocked[style_of(&xml, &input)], "{input} is unlocked");
    }

    // Derived amounts: formulas with a cached (empty) result, locked.
    for (field, parts) in [
        ("funding.own.total", "C9,C10,C11"),
        ("funding.transfer.total", "F9,F10"),
        ("funding.annual_total", "C8,F8"),
    ] {
        let cell = f(field);
        assert!(
            xml.contains(&format!(
                "<c r=\"{cell}\" s=\"{}\" t=\"str\"><f>IF(COUNT({parts})=0,\"\",SUM({parts}))</f><v></v></c>",
                style_of(&xml, &cell)
            )),
            "{field} at {cell}"
        );
        assert!(!unlocked[style_of(&xml, &cell)], "{cell} is locked");
    }

    // Dropdowns from the hidden sheet; amounts ≥ 0 with the unit in the input message.
    assert!(xml.contains("<dataValidation"));
    let attribute = f("project.attribute");
    assert!(
        xml.contains(&format!(
            "sqref=\"{attribute}\"><formula1>'{LISTS_SHEET}'!$A$2:$A$"
        )),
        "项目属性 dropdown"
    );
    assert!(xml.contains(&format!(
        "sqref=\"A14:A21\"><formula1>'{LISTS_SHEET}'!$B$2:$B$4"
    )));
    // The 二级 dropdown follows the 一级 chosen: INDIRECT over a name per 一级.
    assert!(
        xml.contains("sqref=\"B14:B15\"><formula1>INDIRECT(\"传统版式_\"&amp;$A$14)"),
        "二级 dropdown of the first run"
    );
    assert!(
        xml.contains("sqref=\"B22:B23\"><formula1>INDIRECT(\"传统版式_\"&amp;$A$22)"),
        "二级 dropdown under 效益指标 looks at the 效益指标 cell"
    );
    assert!(xml.contains("type=\"decimal\" operator=\"greaterThanOrEqual\""));
    assert!(xml.contains("promptTitle=\"金额（万元）\""));
    assert!(xml.contains("万元"));

    // The lists hold the vocabulary: one 项目属性 per kind, the 二级 under each 一级.
    let lists = cells(&book.bytes, LISTS_SHEET);
    let text = jixiao::template::guide::TemplateText::builtin();
    let kinds = &Vocab::builtin().project.kinds;
    for (i, a) in text.attributes.iter().enumerate() {
        assert_eq!(lists[&format!("A{}", i + 2)], *a);
        assert!(kinds.contains(a), "{a} is a known kind");
    }
    assert!(!lists.contains_key(&format!("A{}", text.attributes.len() + 2)));
    // No near-duplicates (延续项目 / 延续性项目, 特定目标类 / 特定目标类项目).
    let stem = |a: &str| a.replace("项目", "").replace('性', "");
    for (i, a) in text.attributes.iter().enumerate() {
        for b in &text.attributes[i + 1..] {
            assert_ne!(stem(a), stem(b), "{a} / {b}");
        }
    }
    assert_eq!(lists["B2"], "产出指标");
    let workbook = part(&book.bytes, "xl/workbook.xml");
    let column_of = |head: &str| {
        let cell = lists
            .iter()
            .find(|(k, v)| *v == head && k.ends_with('1') && k.len() == 2)
            .map(|(k, _)| k.clone())
            .unwrap_or_else(|| panic!("no list {head}"));
        cell[..1].to_string()
    };
    let c = column_of("传统版式中“产出指标”下的二级指标");
    assert_eq!(lists[&format!("{c}2")], "数量指标");
    assert_eq!(lists[&format!("{c}5")], "成本指标");
    assert!(!lists.contains_key(&format!("{c}6")));
    assert!(
        workbook.contains(&format!(
            "<definedName name=\"传统版式_产出指标\">'{LISTS_SHEET}'!${c}$2:${c}$5</definedName>"
        )),
        "{workbook}"
    );
    let c = column_of("传统版式中“满意度指标”下的二级指标");
    assert_eq!(lists[&format!("{c}2")], "服务对象满意度");
    let c = column_of("国家版式中“成本指标”下的二级指标");
    assert_eq!(lists[&format!("{c}2")], "经济成本指标");
    assert!(lists.values().any(|v| v == "定性"));

    // Cells to fill in are shaded; labels are not.
    let fills = fill_ids(&styles);
    for label in ["A4", "A13"] {
        assert_eq!(fills[style_of(&xml, label)], 0, "{label} is white");
    }
    for input in [f("project.name"), f("indicators[0].value"), "C15".into()] {
        assert_ne!(fills[style_of(&xml, &input)], 0, "{input} is shaded");
    }
    assert!(styles.contains("FFE2EFDA"), "the input fill");
    // A formula cell is locked and not shaded: nothing to fill in.
    assert_eq!(fills[style_of(&xml, &f("funding.own.total"))], 0);

    // The guide is generated and protected; no label stands alone in it.
    let guide = cells(&book.bytes, GUIDE_SHEET);
    let text: Vec<&String> = guide.values().collect();
    for want in ["≥80%", "1项", "2027年6月前", "“项目名称”"] {
        assert!(text.iter().any(|t| t.contains(want)), "{want} in the guide");
    }
    // (A span across the year, `2026-2028年`, is an example of a period that includes it.)
    assert!(!text.iter().any(|t| t.contains("2026年")), "no old year");
    let labels = jixiao::read::labels::Labels::builtin();
    assert!(text.iter().all(|t| labels.lookup(t).is_none()));
    assert!(part(&book.bytes, &sheet_part(&book, GUIDE_SHEET)).contains("<sheetProtection"));
}

#[test]
fn national_blank_has_nature_dropdowns_and_the_annual_formula() {
    let book = blank(Layout::National, 1);
    let xml = part(&book.bytes, "xl/worksheets/sheet1.xml");
    let plan = form::plan(
        &tw::blank_table(2027, Layout::National),
        FormLayout::builtin(Layout::National),
    );
    let nature = plan.fields["indicators[0].nature"];
    let lists = cells(&book.bytes, LISTS_SHEET);
    let col = lists
        .iter()
        .find(|(k, v)| *v == "指标性质的可选值" && k.ends_with('1'))
        .map(|(k, _)| k[..k.len() - 1].to_string())
        .expect("the 指标性质 list");
    assert!(xml.contains(&format!(
        "sqref=\"{nature}\"><formula1>'{LISTS_SHEET}'!${col}$2:${col}$"
    )));
    assert!(xml.contains("INDIRECT(\"国家版式_\"&amp;$A$"));
    let annual = plan.fields["funding.annual_total"].to_string();
    let parts = [
        "funding.own.fiscal",
        "funding.own.carryover",
        "funding.own.other",
    ]
    .map(|k| plan.fields[k].to_string())
    .join(",");
    assert!(xml.contains(&format!("<f>IF(COUNT({parts})=0,\"\",SUM({parts}))</f>")));
    assert!(xml.contains(&format!("<c r=\"{annual}\"")));
}

/// This year's tables of a sample, carried to 2027 as `jixiao template --from` does.
fn carried(name: &str, keep_all: bool, clear_amounts: bool) -> (Document, Carried) {
    let doc = common::read(&sample(name));
    let c = template::next_year(
        &doc,
        CarryOptions {
            year: 2027,
            keep_all,
            clear_amounts,
        },
    );
    (doc, c)
}

fn prefill(c: &Carried, layout: Option<Layout>) -> Book {
    tw::prefilled(
        c,
        &Prefill {
            year: 2027,
            layout,
            sources: vec!["今年.xlsx".into()],
            tables_read: c.doc.tables.len() + c.left_out.len(),
            cleared_amounts: false,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// A table without where it was read from (the template's cells are new).
fn placeless(t: &Table) -> Table {
    let mut t = t.clone();
    t.source = Default::default();
    t.cells.clear();
    // The funding lines carry cells and printed labels; their amounts are in the views.
    t.funding = t.funding.views();
    for c in &mut t.columns {
        c.cell = None;
    }
    for ind in &mut t.indicators {
        ind.cell = None;
        ind.name_cell = None;
    }
    t
}

fn assert_reads_back_as_carried(book: &Book, c: &Carried, ctx: &str) {
    let back = reread(&book.bytes);
    assert_eq!(back.tables.len(), c.doc.tables.len(), "{ctx}: table count");
    for (want, got) in c.doc.tables.iter().zip(&back.tables) {
        assert_eq!(
            placeless(got),
            placeless(want),
            "{ctx}: {}",
            want.project.name
        );
    }
}

#[test]
fn next_year_from_the_seed_carries_the_nine_recurring_projects() {
    let (doc, c) = carried("seed-one-per-sheet.xlsx", false, false);
    let book = prefill(&c, None);
    let names: Vec<&str> = c
        .doc
        .tables
        .iter()
        .map(|t| t.project.name.as_str())
        .collect();
    assert_eq!(names.len(), 9);
    assert!(!names.contains(&"升级改造项目尾款支付项目"));
    assert_eq!(book.sheets, names, "one form per project, named after it");
    assert_eq!(c.left_out.len(), 1);
    assert_eq!(c.left_out[0].project, "升级改造项目尾款支付项目");

    assert_reads_back_as_carried(&book, &c, "seed");

    // Amounts unchanged; no 2026 left in the forms.
    let this_year: HashMap<&str, &Table> = doc
        .tables
        .iter()
        .map(|t| (t.project.name.as_str(), t))
        .collect();
    for t in &c.doc.tables {
        assert_eq!(
            t.funding.views(),
            this_year[t.project.name.as_str()].funding.views()
        );
        assert_eq!(t.year, Some(2027));
    }
    for sheet in &book.sheets {
        for (cell, text) in cells(&book.bytes, sheet) {
            assert!(!text.contains("2026"), "{sheet}!{cell}: {text}");
        }
    }

    // The one-year project is listed in 说明; this year's findings in 上年问题清单.
    let notes = cells(&book.bytes, NOTES_SHEET);
    assert!(notes.values().any(|v| v == "升级改造项目尾款支付项目"));
    assert!(notes.values().any(|v| v == "一年期项目"));
    let findings = cells(&book.bytes, FINDINGS_SHEET);
    assert!(!c.last_year_findings.is_empty());
    assert!(findings.values().any(|v| v == "values.timeliness-not-time"));
    assert!(findings.values().any(|v| v == "网信研究项目"));
    // The links point at the new forms: 网信研究项目's 时效指标 value, moved down by the
    // spare rows above it.
    let back = reread(&book.bytes);
    let research = back
        .tables
        .iter()
        .find(|t| t.project.name == "网信研究项目")
        .expect("carried");
    let rate = research
        .indicators
        .iter()
        .find(|i| i.name == "资金拨付及时率")
        .and_then(|i| i.cell)
        .expect("the indicator and its cell");
    let xml = part(&book.bytes, &sheet_part(&book, FINDINGS_SHEET));
    let link = format!("location=\"'网信研究项目'!{rate}\"");
    assert!(xml.contains(&link), "{link} in {xml}");

    // Derived amounts are formulas with their results.
    let form = part(&book.bytes, "xl/worksheets/sheet1.xml");
    assert!(form.contains("<f>IF(COUNT(C9,C10,C11)=0,\"\",SUM(C9,C10,C11))</f><v>45.00</v>"));
    assert!(form.contains("<sheetProtection"));
}

#[test]
fn clear_amounts_and_all() {
    let (_, c) = carried("seed-one-per-sheet.xlsx", false, true);
    let book = prefill(&c, None);
    assert_reads_back_as_carried(&book, &c, "cleared");
    for t in reread(&book.bytes).tables {
        assert_eq!(t.funding.views(), Funding::default(), "{}", t.project.name);
    }
    let form = part(&book.bytes, "xl/worksheets/sheet1.xml");
    assert!(form.contains("SUM(C9,C10,C11))</f><v></v>"));

    let (_, c) = carried("seed-one-per-sheet.xlsx", true, false);
    assert_eq!(c.doc.tables.len(), 10);
    assert!(c.left_out.is_empty());
    let book = prefill(&c, None);
    assert_reads_back_as_carried(&book, &c, "all");
    let back = reread(&book.bytes);
    let upgrade = back
        .tables
        .iter()
        .find(|t| t.project.name == "升级改造项目尾款支付项目")
        .expect("the one-year project is kept with --all");
    assert_eq!(upgrade.year, Some(2027));
}

#[test]
fn every_sample_carries_over_and_reads_back_exactly() {
    for name in [
        "seed-one-per-sheet.xlsx",
        "seed-publication.xls",
        "national.xlsx",
        "messy.xlsx",
        "yuan.xlsx",
        "drift-values.xlsx",
    ] {
        let (_, c) = carried(name, true, false);
        let book = prefill(&c, None);
        assert_reads_back_as_carried(&book, &c, name);
    }
}

#[test]
fn a_table_whose_amounts_do_not_add_up_keeps_them() {
    let (_, mut c) = carried("seed-one-per-sheet.xlsx", false, false);
    // 本级资金总额 typed as 50 over parts of 45: kept as typed, not replaced by a formula.
    c.doc.tables[0].funding.own.total = Some(rust_decimal::Decimal::new(50, 0));
    let book = prefill(&c, None);
    assert_reads_back_as_carried(&book, &c, "mismatch");
    // The typed total stays, and so does the annual total that no longer adds up with it;
    // the transfer total still adds up and stays a formula.
    let form = part(&book.bytes, "xl/worksheets/sheet1.xml");
    assert!(!form.contains("SUM(C9,C10,C11)"));
    assert!(!form.contains("SUM(C8,F8)"));
    assert!(form.contains("SUM(F9,F10)"));
}

#[test]
fn national_forms_with_transfer_funds_add_them_up_in_formulas() {
    let (_, mut c) = carried("seed-one-per-sheet.xlsx", false, false);
    let d = |n: i64| Some(rust_decimal::Decimal::new(n, 0));
    let f = &mut c.doc.tables[0].funding;
    f.transfer.central = d(5);
    f.transfer.regional = d(0);
    f.transfer.total = d(5);
    f.annual_total = d(50);
    f.total = d(50);
    let book = prefill(&c, Some(Layout::National));
    let back = reread(&book.bytes);
    assert_eq!(back.tables[0].layout, Layout::National);
    assert_eq!(
        back.tables[0].funding.views(),
        c.doc.tables[0].funding.views()
    );
    let form = part(&book.bytes, "xl/worksheets/sheet1.xml");
    let sums = form.matches("<f>IF(COUNT(").count();
    assert_eq!(sums, 3, "本级, 转移 and 年度 totals are formulas");
    assert!(
        form.contains("</f><v>50.00</v>"),
        "the annual total's result"
    );
}

// ---- the command ----

fn jixiao() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("jixiao").expect("binary is built")
}

#[test]
fn template_command_blank_and_from() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("2027年模板.xlsx");
    let run = jixiao()
        .args(["template", "--year", "2027", "--tables", "2", "-o"])
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    assert_eq!(jixiao::read_file(&out).expect("reads").tables.len(), 2);

    let out = tmp.path().join("2027.xlsx");
    let run = jixiao()
        .args(["template", "--from"])
        .arg(sample("seed-one-per-sheet.xlsx"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("2027年绩效表，9 张表"), "{stdout}");
    assert!(stdout.contains("升级改造项目尾款支付项目"), "{stdout}");
    let doc = jixiao::read_file(&out).expect("reads");
    assert_eq!(doc.tables.len(), 9);
    assert!(doc.tables.iter().all(|t| t.year == Some(2027)));

    // The same project in several files (and broken files beside them): one copy each.
    let out = tmp.path().join("全部.xlsx");
    let run = jixiao()
        .args(["template", "--year", "2027", "--from"])
        .arg(common::root().join("samples"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2), "broken inputs are reported");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("9 张表"), "{stdout}");
    assert!(stdout.contains("重复"), "{stdout}");
    assert_eq!(jixiao::read_file(&out).expect("reads").tables.len(), 9);
}

#[test]
fn workbooks_for_departments_speak_to_a_department() {
    // From absolute paths, with one-year projects and duplicates left out: every text of the
    // workbook is for a department filling the form, not for the finance office running us.
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("2027.xlsx");
    let samples = std::fs::canonicalize(common::root().join("samples")).expect("samples");
    let run = jixiao()
        .args(["template", "--from"])
        .arg(samples.join("seed-one-per-sheet.xlsx"))
        .arg("--from")
        .arg(samples.join("seed-publication.xlsx"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let bytes = std::fs::read(&out).expect("written");
    let strings = part(&bytes, "xl/sharedStrings.xml");
    let home = samples.parent().expect("root").display().to_string();
    for bad in [
        home.as_str(),
        "samples/",
        "templates/",
        "rules.toml",
        "jixiao",
        "--all",
        "--layout",
        "--",
    ] {
        assert!(!strings.contains(bad), "`{bad}` in a department's workbook");
    }
    // The files are named by their names.
    assert!(strings.contains("seed-one-per-sheet.xlsx"));
    let notes = cells(&bytes, NOTES_SHEET);
    assert!(
        notes.values().any(|v| v.contains("一年期项目")),
        "the one-year project is listed in 说明"
    );
    // The blank template too.
    let book = blank(Layout::National, 1);
    let strings = part(&book.bytes, "xl/sharedStrings.xml");
    for bad in ["templates/", "rules.toml", "jixiao", "--"] {
        assert!(!strings.contains(bad), "`{bad}` in a blank template");
    }
}

#[test]
fn a_blank_department_template() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("部门整体.xlsx");
    let run = jixiao()
        .args(["template", "--year", "2027", "--kind", "department", "-o"])
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("部门整体"), "{stdout}");
    let bytes = std::fs::read(&out).expect("written");
    let form = cells(&bytes, "绩效表");
    assert_eq!(form["A1"], "2027年部门整体支出绩效目标表");
    assert_eq!(form["A4"], "部门（单位）名称");
    assert_eq!(form["A5"], "部门职责");
    assert_eq!(form["A6"], "年度预算安排（万元）");
    assert_eq!(form["B6"], "资金总额");
    assert_eq!(form["D6"], "其中：一般公共预算");
    assert_eq!(form["A10"], "年度履职目标");
    assert_eq!(form["B10"], "部门职能");
    // Three empty task rows, then the grid beside its label.
    assert_eq!(form["A14"], "年度绩效指标");
    assert_eq!(form["B14"], "一级指标");
    assert_eq!(form["B15"], "产出指标");
    assert!(form.values().any(|v| v == "服务对象满意度指标"));
    // Inputs unlocked and shaded, labels locked and white.
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    let styles = part(&bytes, "xl/styles.xml");
    let (unlocked, fills) = (unlocked_styles(&styles), fill_ids(&styles));
    for input in ["B4", "E4", "B5", "C6", "E6", "B11", "F11", "D15"] {
        assert!(unlocked[style_of(&xml, input)], "{input} is unlocked");
        assert_ne!(fills[style_of(&xml, input)], 0, "{input} is shaded");
    }
    for label in ["A4", "D4", "B6", "B10", "B14"] {
        assert!(!unlocked[style_of(&xml, label)], "{label} is locked");
        assert_eq!(fills[style_of(&xml, label)], 0, "{label} is white");
    }
    // The guide speaks of the department's fields.
    let guide = cells(&bytes, GUIDE_SHEET);
    assert!(guide.values().any(|v| v.contains("部门整体支出绩效目标表")));
    assert!(guide.values().any(|v| v == "“部门职责”"), "{guide:?}");
    assert!(!guide.values().any(|v| v == "“项目名称”"));
}

#[test]
fn template_years_are_four_digits_and_never_go_back() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for year in ["27", "20277", "1999"] {
        let out = tmp.path().join(format!("{year}.xlsx"));
        let run = jixiao()
            .args(["template", "--year", year, "-o"])
            .arg(&out)
            .output()
            .expect("runs");
        assert_eq!(run.status.code(), Some(2), "--year {year}: {run:?}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains("四位数的年份"), "{stderr}");
        assert!(!out.exists(), "nothing written for --year {year}");
    }
    // Backwards from this year's tables (2026): refused.
    let out = tmp.path().join("2025.xlsx");
    let run = jixiao()
        .args(["template", "--year", "2025", "--from"])
        .arg(sample("seed-one-per-sheet.xlsx"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("早于") && stderr.contains("2026"),
        "{stderr}"
    );
    assert!(!out.exists());
    // The same year: made, with a warning.
    let out = tmp.path().join("2026.xlsx");
    let run = jixiao()
        .args(["template", "--year", "2026", "--from"])
        .arg(sample("seed-one-per-sheet.xlsx"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("警告") && stderr.contains("相同"),
        "{stderr}"
    );
    assert!(out.exists());
}

#[test]
fn template_command_never_overwrites_an_input() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("今年");
    std::fs::create_dir(&dir).expect("dir");
    let input = dir.join("部门.xlsx");
    std::fs::copy(sample("seed-one-per-sheet.xlsx"), &input).expect("copy");
    let before = std::fs::read(&input).expect("read");
    for (from, out) in [
        (input.clone(), input.clone()),
        (dir.clone(), dir.join("明年.xlsx")),
    ] {
        let run = jixiao()
            .args(["template", "--from"])
            .arg(&from)
            .arg("-o")
            .arg(&out)
            .output()
            .expect("runs");
        assert_eq!(run.status.code(), Some(2), "{run:?}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains("输入"), "{stderr}");
    }
    assert_eq!(std::fs::read(&input).expect("read"), before);
    assert_eq!(std::fs::read_dir(&dir).expect("ls").count(), 1);

    let run = jixiao()
        .args(["template", "--year", "2027", "-o"])
        .arg(tmp.path().join("模板.xls"))
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    let run = jixiao()
        .args(["template", "-o"])
        .arg(tmp.path().join("模板.xlsx"))
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2), "a blank template needs --year");
    assert!(String::from_utf8_lossy(&run.stderr).contains("--year"));
}

// ---- LibreOffice ----

/// Renders the blank templates to PDF with LibreOffice, when it is installed: each form on
/// one A4 page, the guide on a few.
#[test]
fn libreoffice_renders_the_blank_template_on_a4() {
    use crate::write::count_pdf_pages;
    let Some(soffice) =
        crate::common::soffice_or_skip("libreoffice_renders_the_blank_template_on_a4")
    else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let profile = tmp.path().join("profile");
    for layout in [Layout::Classic, Layout::National] {
        let book = blank(layout, 2);
        let path = tmp.path().join(format!("{}.xlsx", layout.id()));
        std::fs::write(&path, &book.bytes).expect("write");
        crate::common::soffice_convert(soffice, "pdf", &[&path], tmp.path(), &profile);
        let pdf = std::fs::read(path.with_extension("pdf")).expect("a PDF was written");
        let pages = count_pdf_pages(&pdf);
        // Two forms of one page each, and the guide on two to four pages.
        assert!((4..=6).contains(&pages), "{layout:?}: {pages} pages");
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains("/MediaBox[0 0 595") || text.contains("/MediaBox [0 0 595"),
            "A4 pages"
        );
    }
    // LibreOffice keeps the dropdowns, the protection and the unlocked cells (as it saves
    // them to ODS).
    let path = tmp.path().join("classic.xlsx");
    crate::common::soffice_convert(soffice, "ods", &[&path], tmp.path(), &profile);
    let ods = std::fs::read(path.with_extension("ods")).expect("an ODS was written");
    let content = part(&ods, "content.xml");
    assert!(content.contains(&format!(
        "cell-content-is-in-list([${LISTS_SHEET}.$A$2:.$A$"
    )));
    let form = content
        .split("<table:table ")
        .find(|t| t.starts_with("table:name=\"绩效表1\""))
        .expect("the form sheet");
    let tag = &form[..form.find('>').unwrap_or(0)];
    assert!(tag.contains("table:protected=\"true\""), "{tag}");
    assert!(content.contains("style:cell-protect=\"none\""));
    assert!(
        content.contains("table:display=\"false\""),
        "the lists are hidden"
    );
}

/// The blank template's title is its profile's: `--profile NAME`, `--profile FILE` (a user's
/// own form, no rebuild), and without one the national title, never a province's.
#[test]
fn the_blank_title_comes_from_the_profile() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let user = tmp.path().join("某省.toml");
    std::fs::write(
        &user,
        "id = \"mousheng\"\nextends = \"national\"\nname = \"某省项目支出绩效目标表\"\n\
         title = \"{year}年某省省级项目支出绩效目标表\"\n",
    )
    .expect("profile written");
    let user = user.to_string_lossy().into_owned();
    for (profile, title) in [
        (None, "2027年项目支出绩效目标表"),
        (Some("hunan"), "2027年度项目支出绩效目标申报表"),
        (
            Some("ningxia"),
            "2027年宁夏回族自治区部门项目支出预算绩效表",
        ),
        (Some(user.as_str()), "2027年某省省级项目支出绩效目标表"),
    ] {
        let out = tmp.path().join(format!("{}.xlsx", title));
        let mut cmd = jixiao();
        cmd.args(["template", "--year", "2027"]);
        if let Some(p) = profile {
            cmd.args(["--profile", p]);
        }
        let run = cmd.arg("-o").arg(&out).output().expect("runs");
        assert_eq!(run.status.code(), Some(0), "{profile:?}: {run:?}");
        let bytes = std::fs::read(&out).expect("written");
        let form = cells(&bytes, "绩效表");
        assert_eq!(form["A1"], title, "{profile:?}");
        // And the reader takes it as the table's title.
        let doc = jixiao::read_file(&out).expect("reads");
        assert_eq!(doc.tables[0].title, title, "{profile:?}");
        if profile != Some("ningxia") {
            for v in form.values() {
                assert!(!v.contains("宁夏"), "{profile:?}: `{v}` in the form");
            }
        }
    }
    // A profile's wording labels its blank form (湖南: 项目支出名称, 本年度绩效目标).
    let out = tmp.path().join("湖南.xlsx");
    let run = jixiao()
        .args(["template", "--year", "2027", "--profile", "hunan", "-o"])
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let form = cells(&std::fs::read(&out).expect("written"), "绩效表");
    assert!(form.values().any(|v| v == "项目支出名称"), "{form:?}");
    assert!(form.values().any(|v| v == "本年度绩效目标"), "{form:?}");
}

/// `template --from A B` takes several inputs after one `--from`, as its help shows and as
/// every other command takes several inputs (issue 21 point 15).
#[test]
fn template_from_takes_several_inputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("2027.xlsx");
    let run = jixiao()
        .args(["template", "--from"])
        .arg(crate::common::sample("national.xlsx"))
        .arg(crate::common::sample("yuan.xlsx"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("读取 2 个文件中的 13 张表"), "{stdout}");
    assert!(out.is_file());
}

/// Tables of different years in one batch are each moved by their own difference, ranges kept
/// in order, and the command and 说明 say from which year each was moved (issue 20 point 3).
#[test]
fn a_batch_of_mixed_years_moves_each_table_by_its_own_years() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("2027.xlsx");
    let fixtures = crate::common::root().join("tests/fixtures");
    let run = jixiao()
        .args(["template", "--from"])
        .arg(fixtures.join("years/national-2023.xlsx"))
        .arg(fixtures.join("national.xlsx"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("耕地质量监测延续项目 由 2023 年改为 2027 年（顺延 4 年）"),
        "{stdout}"
    );
    assert!(
        stdout.contains("由 2026 年改为 2027 年（顺延 1 年）"),
        "{stdout}"
    );
    let doc = jixiao::read::read_file(&out).expect("the template reads");
    let moved = doc
        .tables
        .iter()
        .find(|t| t.project.name == "耕地质量监测延续项目")
        .expect("the 2023 table");
    let range = moved
        .indicators
        .iter()
        .find(|i| i.value.raw.contains(".07-"))
        .map(|i| i.value.raw.clone());
    assert_eq!(range.as_deref(), Some("2027.07-2028.01"));
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).expect("xlsx");
    let notes = wb.worksheet_range(tw::NOTES_SHEET).expect("说明");
    let text: String = notes.cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(
        text.contains("耕地质量监测延续项目由 2023 年改为 2027 年"),
        "{text}"
    );
}

/// Last year's sign-off (`sign_off` in templates/template.toml: 填报日期, the reviewers'
/// opinions, signatures, seals) is not carried into the new year's table: the label stays,
/// blank, and 说明 names it; what describes the project or its people (填报人) is carried.
#[test]
fn last_years_sign_off_is_left_blank() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("2027.xlsx");
    let source = crate::common::root().join("tests/fixtures/corpus/guangshui-2021.xlsx");
    let before = common::read(&source);
    let meta = |doc: &Document, key: &str| -> Option<String> {
        doc.tables[0]
            .metadata
            .iter()
            .find(|m| m.key == key)
            .map(|m| m.value.clone())
    };
    assert!(meta(&before, "filled_on").is_some_and(|v| v.contains("2021")));
    let filled_by = meta(&before, "filled_by").expect("填报人");
    assert!(!filled_by.is_empty());
    let run = jixiao()
        .args(["template", "--year", "2027", "--from"])
        .arg(&source)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let after = jixiao::read::read_file(&out).expect("the template reads");
    assert_eq!(meta(&after, "filled_on").as_deref(), Some(""));
    assert_eq!(meta(&after, "filled_by"), Some(filled_by));
    let mut wb: Xlsx<_> = calamine::open_workbook(&out).expect("xlsx");
    let notes = wb.worksheet_range(tw::NOTES_SHEET).expect("说明");
    let text: String = notes.cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(
        text.contains("“填报日期”") && text.contains("已留空"),
        "{text}"
    );
}
