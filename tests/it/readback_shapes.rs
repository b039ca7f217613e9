//! Shapes of the read-back proof's known differences, fixed by mechanism (issue 20): each a
//! small form in wordings other than the corpus tables', written in a built-in layout and read
//! back. Workbooks are built here with rust_xlsxwriter as the generated families are (a form
//! as a department types it, never by our writer).

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};

use jixiao::model::{FundingScope, Grid, Layout};
use jixiao::read::grid;
use jixiao::write::{self, readback, Options};

/// A project form with its funding in two spans side by side, each with its own label: the
/// project's bare `资金总额` (its whole period) beside `本年资金总额：`, each span's parts below.
fn two_spans() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let wrap = Format::new().set_text_wrap();
    let rows: &[&[(u16, &str)]] = &[
        &[(0, "项目支出绩效目标表")],
        &[(0, "（2024年度）")],
        &[(0, "项目名称"), (1, "农村公路养护工程")],
        &[
            (0, "主管部门"),
            (1, "某县交通运输局"),
            (3, "实施单位"),
            (5, "某县公路事务中心"),
        ],
        &[(1, "资金总额"), (3, "本年资金总额："), (5, "")],
        &[(1, "其中：财政拨款"), (3, "其中：本年财政拨款")],
        &[(1, "其他资金"), (3, "本年其他资金")],
        &[(0, "年度目标"), (1, "完成农村公路养护任务。")],
        &[
            (0, "一级指标"),
            (1, "二级指标"),
            (2, "三级指标"),
            (3, "指标值"),
        ],
        &[
            (0, "产出指标"),
            (1, "数量指标"),
            (2, "养护里程"),
            (3, "≥50公里"),
        ],
        &[(1, "质量指标"), (2, "路况优良率"), (3, "≥85%")],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, text) in cells.iter() {
            if !text.is_empty() {
                ws.write_string(r as u32, *c, *text).expect("write");
            }
        }
    }
    ws.merge_range(4, 0, 6, 0, "项目资金", &wrap)
        .expect("merge");
    for (r, whole, year) in [(4, 360.0, 120.0), (5, 360.0, 120.0)] {
        ws.write_number(r, 2, whole).expect("write");
        ws.write_number(r, 4, year).expect("write");
    }
    wb.save_to_buffer().expect("xlsx")
}

fn readback_errors(r: &jixiao::Rendered) -> Vec<String> {
    r.findings
        .iter()
        .map(|l| &l.finding)
        .filter(|f| f.rule == readback::RULE)
        .map(|f| f.message.clone())
        .collect()
}

/// Two spans side by side are written side by side in a built-in layout: the project's total
/// reads back as the project's (项目总额, mid-term), the year's as the year's.
#[test]
fn two_spans_side_by_side_read_back_as_written() {
    let doc = jixiao::read_bytes(Path::new("两栏.xlsx"), &two_spans()).expect("read");
    let t = &doc.tables[0];
    let whole = t.funding.lines.iter().find(|l| l.label == "资金总额");
    assert_eq!(
        whole.map(|l| l.scope),
        Some(FundingScope::MidTerm),
        "{:#?}",
        t.funding.lines
    );
    assert_eq!(
        t.funding
            .total
            .map(|d| d.normalize().to_string())
            .as_deref(),
        Some("360")
    );
    assert_eq!(
        t.funding
            .annual_total
            .map(|d| d.normalize().to_string())
            .as_deref(),
        Some("120")
    );
    for layout in [None, Some(Layout::Classic)] {
        let r = write::render(&doc, &[], &Options { layout, date: None }).expect("render");
        assert_eq!(readback_errors(&r), Vec::<String>::new(), "{layout:?}");
        // The two totals on one row of the form, as in the source.
        let sheets =
            grid::load_sheets(Path::new("o.xlsx"), &r.bytes, grid::Format::Xlsx).expect("load");
        let form = sheets.iter().find(|s| s.name == r.sheets[0]).expect("form");
        let row_of = |text: &str| {
            form.rows
                .iter()
                .find(|row| row.cells.iter().any(|c| c.value.display() == text))
                .map(|row| row.row)
        };
        assert!(row_of("资金总额").is_some(), "{layout:?}");
        assert_eq!(row_of("资金总额"), row_of("本年资金总额："), "{layout:?}");
        let back = jixiao::read_bytes(Path::new("o.xlsx"), &r.bytes).expect("read back");
        let b = &back.tables[0];
        assert_eq!(
            (b.funding.total, b.funding.annual_total),
            (t.funding.total, t.funding.annual_total)
        );
    }
}

/// A long-term grid titled by words that on a row of their own read as no grid's title (the
/// heading of its column in a form that prints both grids side by side, `中期滚动目标(…)`) is
/// titled as the vocabulary titles one of its kind in a built-in layout: it reads back as a
/// grid of its own, not as rows of the annual one.
#[test]
fn a_long_term_grid_reads_back_as_a_grid_of_its_own() {
    let mut doc = jixiao::read_bytes(Path::new("两栏.xlsx"), &two_spans()).expect("read");
    let t = &mut doc.tables[0];
    assert!(t.other_grids.is_empty());
    t.other_grids.push(Grid {
        key: "long-term".into(),
        label: "中期滚动目标(2024年--2026年)".into(),
        columns: Vec::new(),
        indicators: t.indicators.clone(),
    });
    for layout in [Layout::Classic, Layout::National] {
        let r = write::render(
            &doc,
            &[],
            &Options {
                layout: Some(layout),
                date: None,
            },
        )
        .expect("render");
        assert_eq!(readback_errors(&r), Vec::<String>::new(), "{layout:?}");
        let back = jixiao::read_bytes(Path::new("o.xlsx"), &r.bytes).expect("read back");
        let b = &back.tables[0];
        assert_eq!(b.other_grids.len(), 1, "{layout:?}");
        assert_eq!(
            b.indicators.len(),
            doc.tables[0].indicators.len(),
            "{layout:?}"
        );
    }
}

/// Numbered lines no field answers to, under a heading row with no amount (`资金安排 |
/// 金额(万元)` over `(一)财政资金小计 | 9`, `1、本级安排 | 9`), written in a built-in layout
/// under a funding group label: each reads back as the funding line it is, none as metadata.
#[test]
fn numbered_lines_read_back_as_funding_lines() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let rows: &[&[(u16, &str)]] = &[
        &[(0, "项目支出绩效目标申报表")],
        &[(0, "（2024年度）")],
        &[(0, "项目名称"), (2, "防汛物资储备")],
        &[(0, "资金情况(万元)"), (2, "资金安排"), (4, "金额(万元)")],
        &[(2, "(一)财政资金小计")],
        &[(2, "1、本级安排")],
        &[(2, "2、上级补助")],
        &[(2, "(二)单位自筹")],
        &[(0, "年度目标"), (2, "完成防汛物资储备。")],
        &[
            (1, "一级指标"),
            (2, "二级指标"),
            (3, "三级指标"),
            (4, "指标值"),
        ],
        &[
            (1, "产出指标"),
            (2, "数量指标"),
            (3, "储备物资批次"),
            (4, "3批"),
        ],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, text) in cells.iter() {
            ws.write_string(r as u32, *c, *text).expect("write");
        }
    }
    for (r, amount) in [(4, 9.0), (5, 9.0), (6, 0.0), (7, 0.0)] {
        ws.write_number(r, 4, amount).expect("write");
    }
    let bytes = wb.save_to_buffer().expect("xlsx");
    let doc = jixiao::read_bytes(Path::new("编号.xlsx"), &bytes).expect("read");
    let t = &doc.tables[0];
    let labels: Vec<&str> = t.funding.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels.len(), 4, "{:#?}", t.funding.lines);
    assert!(
        t.funding.lines.iter().any(|l| l.key.is_empty()),
        "{labels:?}"
    );
    let r = write::render(
        &doc,
        &[],
        &Options {
            layout: Some(Layout::Classic),
            date: None,
        },
    )
    .expect("render");
    assert_eq!(readback_errors(&r), Vec::<String>::new());
    let back = jixiao::read_bytes(Path::new("o.xlsx"), &r.bytes).expect("read back");
    let b = &back.tables[0];
    let back_labels: Vec<&str> = b.funding.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(back_labels, labels);
    assert!(b.metadata.is_empty(), "{:?}", b.metadata);
}

/// A 部门整体 form whose money block prints a share column and earlier years' columns whose
/// years were left blank (`____年`) and never filled: no line of another span is read, yet the
/// block has the columns no built-in block has.
fn blank_years_block() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let rows: &[&[(u16, &str)]] = &[
        &[(0, "部门整体支出绩效目标表")],
        &[(0, "填报日期：2024年3月1日")],
        &[
            (0, "部门名称"),
            (2, "某县农业农村局"),
            (3, "填报人"),
            (4, "李明"),
            (5, "联系电话"),
        ],
        &[
            (0, "部门资金总体情况"),
            (1, "单位：万元"),
            (3, "本年金额"),
            (4, "比重"),
            (5, "前两年收支数"),
        ],
        &[(5, "____年"), (6, "____年")],
        &[(1, "收入构成"), (2, "财政拨款")],
        &[(2, "其他资金")],
        &[(2, "合计")],
        &[(1, "支出构成"), (2, "基本支出")],
        &[(2, "项目支出")],
        &[(2, "合计")],
        &[
            (0, "部门职能概述"),
            (1, "（一）负责全县农业农村发展规划；（二）指导农业生产。"),
        ],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, text) in cells.iter() {
            ws.write_string(r as u32, *c, *text).expect("write");
        }
    }
    for (r, amount, share) in [
        (5, 520.0, "80%"),
        (6, 130.0, "20%"),
        (7, 650.0, "100%"),
        (8, 400.0, "61.5%"),
        (9, 250.0, "38.5%"),
        (10, 650.0, "100%"),
    ] {
        ws.write_number(r, 3, amount).expect("write");
        ws.write_string(r, 4, share).expect("write");
    }
    wb.save_to_buffer().expect("xlsx")
}

/// The labels and texts of a written form sheet.
fn form_texts(bytes: &[u8], sheet: &str) -> Vec<String> {
    let sheets = grid::load_sheets(Path::new("o.xlsx"), bytes, grid::Format::Xlsx).expect("load");
    let form = sheets.iter().find(|s| s.name == sheet).expect("form");
    form.rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| c.value.display()))
        .collect()
}

/// A money block whose earlier years' columns were left empty under blank year headings is
/// the block with other spans it is: a forced layout drops its headings and shares with it,
/// lists each as dropped, and the form reads back (before, they were written under a 其他
/// label as cells nothing reads back, and `其他：部门资金总体情况` read back as metadata).
#[test]
fn a_money_block_with_blank_years_is_dropped_whole() {
    let doc = jixiao::read_bytes(Path::new("空年.xlsx"), &blank_years_block()).expect("read");
    let t = &doc.tables[0];
    assert!(
        t.funding
            .lines
            .iter()
            .all(|l| l.scope != FundingScope::Other),
        "{:#?}",
        t.funding.lines
    );
    let cells_of = |words: &[&str]| -> Vec<jixiao::cell::CellRef> {
        t.extra
            .iter()
            .filter(|e| words.iter().any(|w| e.value.contains(w)))
            .map(|e| e.cell)
            .collect()
    };
    let headings = cells_of(&["比重", "前两年收支数", "____年"]);
    let shares = cells_of(&["%"]);
    assert_eq!((headings.len(), shares.len()), (4, 6), "{:#?}", t.extra);
    for layout in [Layout::Classic, Layout::National] {
        let r = write::render(
            &doc,
            &[],
            &Options {
                layout: Some(layout),
                date: None,
            },
        )
        .expect("render");
        assert_eq!(readback_errors(&r), Vec::<String>::new(), "{layout:?}");
        let dropped = write::dropped_cells(t, layout);
        for c in headings.iter().chain(&shares) {
            assert!(
                dropped.contains(c),
                "{layout:?} {c} not listed: {dropped:?}"
            );
        }
        let texts = form_texts(&r.bytes, &r.sheets[0]);
        for w in ["比重", "前两年收支数", "____年", "61.5%"] {
            assert!(
                !texts.iter().any(|t| t.contains(w)),
                "{layout:?} {w}: {texts:?}"
            );
        }
        let back = jixiao::read_bytes(Path::new("o.xlsx"), &r.bytes).expect("read back");
        assert!(back.tables[0].metadata.iter().all(|m| m.label != "其他"));
    }
}

/// A template with its amounts cleared writes the money block anew, without lines: the
/// block's shares and headings go with the amounts (before, they were written under a 其他
/// label where nothing reads them back), whether or not its earlier years were filled.
#[test]
fn a_cleared_template_leaves_the_money_blocks_cells_out() {
    use jixiao::template::write::{self as tw, Prefill};
    let doc = jixiao::read_bytes(Path::new("空年.xlsx"), &blank_years_block()).expect("read");
    let carried = jixiao::template::carry_over(
        &doc,
        jixiao::template::CarryOptions {
            year: 2025,
            keep_all: true,
            clear_amounts: true,
        },
    );
    let moved = &carried.doc.tables[0];
    assert!(
        moved.extra.iter().all(|e| !e.value.contains('%')),
        "{:#?}",
        moved.extra
    );
    for layout in [None, Some(Layout::Classic)] {
        let book = tw::prefilled(
            &carried,
            &Prefill {
                year: 2025,
                layout,
                cleared_amounts: true,
                ..Prefill::default()
            },
        )
        .expect("template");
        let bad: Vec<String> = book.readback.iter().map(|d| d.message()).collect();
        assert_eq!(bad, Vec::<String>::new(), "{layout:?}");
        let texts = form_texts(&book.bytes, &book.sheets[0]);
        assert!(
            !texts.iter().any(|t| t.contains("比重") || t.contains('%')),
            "{layout:?}: {texts:?}"
        );
    }
}

/// Lines the source printed above its header block (`预算单位:某局` under the title, a unit's
/// stamp line `申报单位名称:(盖章)` left blank) are printed above the block in a built-in
/// layout, a `label：value` line each: they read back as they were read (metadata), never as
/// the block's implementing unit, and the block's own fields stay as they were.
#[test]
fn lines_above_the_header_block_read_back_above_it() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let rows: &[&[(u16, &str)]] = &[
        &[(0, "某县财政项目支出绩效目标表")],
        &[(0, "（2024年度）")],
        &[(0, "申报单位名称:(盖章)")],
        &[(0, "预算单位:某县水利局")],
        &[(0, "项目名称"), (1, "小型水库除险加固")],
        &[(0, "项目执行单位"), (1, "某县水库管理所")],
        &[(0, "项目资金总额(万元)"), (1, "")],
        &[(0, "年度目标"), (1, "完成两座小型水库除险加固。")],
        &[
            (0, "一级指标"),
            (1, "二级指标"),
            (2, "三级指标"),
            (3, "指标值"),
        ],
        &[
            (0, "产出指标"),
            (1, "数量指标"),
            (2, "加固水库座数"),
            (3, "2座"),
        ],
        &[(1, "质量指标"), (2, "验收合格率"), (3, "100%")],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, text) in cells.iter() {
            if !text.is_empty() {
                ws.write_string(r as u32, *c, *text).expect("write");
            }
        }
    }
    ws.write_number(6, 1, 80.0).expect("write");
    let bytes = wb.save_to_buffer().expect("xlsx");
    let doc = jixiao::read_bytes(Path::new("上方.xlsx"), &bytes).expect("read");
    let t = &doc.tables[0];
    assert_eq!(t.project.implementing_unit, "某县水库管理所");
    let meta: Vec<(&str, &str)> = t
        .metadata
        .iter()
        .map(|m| (m.label.as_str(), m.value.as_str()))
        .collect();
    assert!(meta.contains(&("预算单位", "某县水利局")), "{meta:?}");
    assert!(meta.contains(&("申报单位名称(盖章)", "")), "{meta:?}");
    for layout in [Layout::Classic, Layout::National] {
        let r = write::render(
            &doc,
            &[],
            &Options {
                layout: Some(layout),
                date: None,
            },
        )
        .expect("render");
        assert_eq!(readback_errors(&r), Vec::<String>::new(), "{layout:?}");
        let sheets =
            grid::load_sheets(Path::new("o.xlsx"), &r.bytes, grid::Format::Xlsx).expect("load");
        let form = sheets.iter().find(|s| s.name == r.sheets[0]).expect("form");
        let row_of = |text: &str| {
            form.rows
                .iter()
                .find(|row| row.cells.iter().any(|c| c.value.display() == text))
                .map(|row| row.row)
        };
        let name = row_of("项目名称").expect("项目名称");
        let budget = row_of("预算单位：某县水利局").expect("the 预算单位 line");
        let stamp = row_of("申报单位名称：(盖章)").expect("the stamp line");
        assert!(budget < name && stamp < name, "{layout:?}");
        let back = jixiao::read_bytes(Path::new("o.xlsx"), &r.bytes).expect("read back");
        let b = &back.tables[0];
        assert_eq!(b.project.implementing_unit, "某县水库管理所", "{layout:?}");
        assert_eq!(b.metadata.len(), t.metadata.len(), "{:?}", b.metadata);
    }
}

/// Two totals side by side with a part under the second (`项目总预算 | 300 | 本年度预算 | 100`,
/// `其中:本年财政拨款 | 100` under the second), then two lines printed without an amount on one
/// row (`上年同类项目预算数 | | 上年同类项目预算执行数 |`): in a built-in layout the part stays
/// under its total (under the first it reads back as a part of the project's total, and the
/// year's total with it) and the blank lines stay on one row (one by one under a group label
/// they read back as cells nothing understood).
#[test]
fn a_part_under_the_second_total_and_blank_lines_read_back() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let rows: &[&[(u16, &str)]] = &[
        &[(0, "某市部门项目支出绩效目标申报表")],
        &[(0, "（2024年度）")],
        &[(0, "项目名称"), (1, "城乡环境综合整治")],
        &[(0, "项目总预算(万元)"), (2, "本年度预算(万元)")],
        &[(2, "其中:本年财政拨款")],
        &[(0, "上年同类项目预算数"), (2, "上年同类项目预算执行数")],
        &[(0, "年度目标"), (1, "完成城乡环境综合整治。")],
        &[
            (0, "一级指标"),
            (1, "二级指标"),
            (2, "三级指标"),
            (3, "指标值"),
        ],
        &[
            (0, "产出指标"),
            (1, "数量指标"),
            (2, "整治村庄个数"),
            (3, "12个"),
        ],
        &[(1, "质量指标"), (2, "验收合格率"), (3, "100%")],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, text) in cells.iter() {
            ws.write_string(r as u32, *c, *text).expect("write");
        }
    }
    for (r, c, amount) in [(3, 1, 300.0), (3, 3, 100.0), (4, 3, 100.0)] {
        ws.write_number(r, c, amount).expect("write");
    }
    let bytes = wb.save_to_buffer().expect("xlsx");
    let doc = jixiao::read_bytes(Path::new("两总额.xlsx"), &bytes).expect("read");
    let t = &doc.tables[0];
    let lines: Vec<(&str, Option<usize>, bool)> = t
        .funding
        .lines
        .iter()
        .map(|l| (l.label.as_str(), l.parent, l.amount.is_some()))
        .collect();
    assert_eq!(
        lines,
        [
            ("项目总预算(万元)", None, true),
            ("本年度预算(万元)", None, true),
            ("其中:本年财政拨款", Some(1), true),
            ("上年同类项目预算数", None, false),
            ("上年同类项目预算执行数", None, false),
        ],
        "{:#?}",
        t.funding.lines
    );
    for layout in [Layout::Classic, Layout::National] {
        let r = write::render(
            &doc,
            &[],
            &Options {
                layout: Some(layout),
                date: None,
            },
        )
        .expect("render");
        assert_eq!(readback_errors(&r), Vec::<String>::new(), "{layout:?}");
        let back = jixiao::read_bytes(Path::new("o.xlsx"), &r.bytes).expect("read back");
        let b = &back.tables[0];
        let back_lines: Vec<(&str, Option<usize>, bool)> = b
            .funding
            .lines
            .iter()
            .map(|l| (l.label.as_str(), l.parent, l.amount.is_some()))
            .collect();
        // The national layout prints its own funding rows (年度资金总额 under 项目总额, its
        // 上年结转资金 and 其他资金 rows); the classic one the lines as printed.
        if layout == Layout::Classic {
            assert_eq!(back_lines, lines, "{layout:?}");
        }
        for blank in &lines[3..] {
            assert!(back_lines.contains(blank), "{layout:?}: {back_lines:?}");
        }
        assert!(b.extra.is_empty(), "{layout:?}: {:?}", b.extra);
    }
}

/// A cell nothing understood in a 部门整体 table (the table's number above its title, a note
/// under its grid) is written in a built-in layout's 其他 block under the grid, in the grid's
/// own columns: in the column of the grid's 年度绩效指标 label, left of the grid, a `其他 |
/// value` row read back as a review row (metadata `其他：附表3`), with or without indicators.
#[test]
fn a_department_tables_other_cells_read_back_under_its_grid() {
    for with_grid in [false, true] {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let mut rows: Vec<Vec<(u16, &str)>> = vec![
            vec![(0, "附表3")],
            vec![(0, "部门整体支出绩效目标表")],
            vec![
                (0, "部门名称"),
                (2, "某县水利局"),
                (3, "填报人"),
                (4, "王芳"),
            ],
            vec![(0, "单位：万元")],
            vec![(0, "部门资金总体情况"), (3, "本年金额")],
            vec![(1, "收入构成"), (2, "财政拨款")],
            vec![(2, "合计")],
            vec![(1, "支出构成"), (2, "项目支出")],
            vec![(2, "合计")],
            vec![(0, "部门职能概述"), (1, "负责全县水资源管理。")],
        ];
        if with_grid {
            rows.push(vec![
                (0, "年度绩效指标"),
                (1, "一级指标"),
                (2, "二级指标"),
                (3, "三级指标"),
                (5, "指标值"),
            ]);
            rows.push(vec![
                (1, "产出指标"),
                (2, "数量指标"),
                (3, "巡查河道"),
                (5, "≥120公里"),
            ]);
            rows.push(vec![(2, "质量指标"), (3, "水质达标率"), (5, "≥95%")]);
        }
        for (r, cells) in rows.iter().enumerate() {
            for (c, text) in cells.iter() {
                ws.write_string(r as u32, *c, *text).expect("write");
            }
        }
        for r in 5..9 {
            ws.write_number(r, 3, 300.0).expect("write");
        }
        let bytes = wb.save_to_buffer().expect("xlsx");
        let doc = jixiao::read_bytes(Path::new("附表.xlsx"), &bytes).expect("read");
        let t = &doc.tables[0];
        assert!(
            t.extra.iter().any(|e| e.value == "附表3"),
            "{with_grid}: {:#?}",
            t.extra
        );
        assert_eq!(t.indicators.len(), if with_grid { 2 } else { 0 });
        for layout in [Layout::Classic, Layout::National] {
            let r = write::render(
                &doc,
                &[],
                &Options {
                    layout: Some(layout),
                    date: None,
                },
            )
            .expect("render");
            assert_eq!(
                readback_errors(&r),
                Vec::<String>::new(),
                "{with_grid} {layout:?}"
            );
            let back = jixiao::read_bytes(Path::new("o.xlsx"), &r.bytes).expect("read back");
            let b = &back.tables[0];
            assert!(b.extra.iter().any(|e| e.value == "附表3"), "{:#?}", b.extra);
            assert!(
                b.metadata.iter().all(|m| m.label != "其他"),
                "{:?}",
                b.metadata
            );
        }
    }
}

/// A form typed as `rows` (column, text), with `amounts` (row, column, 万元) as numbers.
fn typed_form(rows: &[&[(u16, &str)]], amounts: &[(u32, u16, f64)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, cells) in rows.iter().enumerate() {
        for (c, text) in cells.iter() {
            ws.write_string(r as u32, *c, *text).expect("write");
        }
    }
    for (r, c, amount) in amounts {
        ws.write_number(*r, *c, *amount).expect("write");
    }
    wb.save_to_buffer().expect("xlsx")
}

/// A project form's grid rows, after its header block.
const GRID: &[&[(u16, &str)]] = &[
    &[
        (0, "一级指标"),
        (1, "二级指标"),
        (2, "三级指标"),
        (3, "指标值"),
    ],
    &[
        (0, "产出指标"),
        (1, "数量指标"),
        (2, "培训人次"),
        (3, "≥300人次"),
    ],
    &[(1, "质量指标"), (2, "结业合格率"), (3, "≥90%")],
];

/// The funding lines as (name, parent's name, has an amount), a line named by its key (a
/// forced layout prints its own wording of a line a field answers to), else by its label.
fn line_shape(t: &jixiao::model::Table) -> Vec<(String, Option<String>, bool)> {
    let lines = &t.funding.lines;
    let name = |l: &jixiao::model::FundingLine| {
        if l.key.is_empty() {
            l.label.clone()
        } else {
            l.key.clone()
        }
    };
    lines
        .iter()
        .map(|l| {
            let parent = l.parent.map(|p| name(&lines[p]));
            (name(l), parent, l.amount.is_some())
        })
        .collect()
}

/// The rules `check` of the form `layout` writes draws that `check` of the source did not.
fn new_rules(doc: &jixiao::model::Document, layout: Layout) -> (Vec<String>, jixiao::Rendered) {
    let before = jixiao::check::check(doc);
    let r = write::render(
        doc,
        &before,
        &Options {
            layout: Some(layout),
            date: None,
        },
    )
    .expect("render");
    let back = jixiao::read_bytes(Path::new("o.xlsx"), &r.bytes).expect("read back");
    let new = jixiao::check::check(&back)
        .into_iter()
        .filter(|f| !before.iter().any(|b| b.rule == f.rule))
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect();
    (new, r)
}

/// A forced layout leaves out its funding rows the form printed none of: a form with the
/// year's total and its parts by budget type (`其中：一般公共预算`, under 财政拨款 in the
/// profile's tree) reads back with the same parts under the same total, not under the
/// layout's blank `其中：财政拨款` row; a form that printed no total gets no blank
/// `年度资金总额` label that `check` of the written form would report missing.
#[test]
fn a_forced_layout_prints_no_funding_row_the_form_did_not() {
    let header: &[&[(u16, &str)]] = &[
        &[(0, "项目支出绩效目标表")],
        &[(0, "（2025年度）")],
        &[(0, "项目名称"), (1, "基层农技人员培训")],
        &[(0, "项目资金"), (1, "资金总额")],
        &[(1, "其中：一般公共预算")],
        &[(1, "单位自有资金")],
        &[(0, "年度目标"), (1, "培训基层农技人员300人次。")],
    ];
    let no_total: &[&[(u16, &str)]] = &[
        &[(0, "项目支出绩效目标表")],
        &[(0, "（2025年度）")],
        &[(0, "项目名称"), (1, "基层农技人员培训")],
        &[(0, "项目资金"), (1, "其中：财政拨款")],
        &[(1, "其他资金")],
        &[(0, "年度目标"), (1, "培训基层农技人员300人次。")],
    ];
    let forms = [
        (header, vec![(3, 2, 200.0), (4, 2, 160.0), (5, 2, 40.0)]),
        (no_total, vec![(3, 2, 90.0)]),
    ];
    for (k, (head, amounts)) in forms.iter().enumerate() {
        let rows: Vec<&[(u16, &str)]> = head.iter().chain(GRID).copied().collect();
        let bytes = typed_form(&rows, amounts);
        let doc = jixiao::read_bytes(Path::new("资金.xlsx"), &bytes).expect("read");
        let lines = line_shape(&doc.tables[0]);
        for layout in [Layout::Classic, Layout::National] {
            let (new, r) = new_rules(&doc, layout);
            assert_eq!(readback_errors(&r), Vec::<String>::new(), "{k} {layout:?}");
            assert_eq!(new, Vec::<String>::new(), "{k} {layout:?}");
            let back = jixiao::read_bytes(Path::new("o.xlsx"), &r.bytes).expect("read back");
            let back_lines = line_shape(&back.tables[0]);
            for line in &lines {
                assert!(
                    back_lines.contains(line),
                    "{k} {layout:?}: {line:?} in {back_lines:?}"
                );
            }
            let texts = form_texts(&r.bytes, &r.sheets[0]);
            if k == 1 {
                assert!(
                    !texts.iter().any(|t| t == "年度资金总额"),
                    "{layout:?}: {texts:?}"
                );
            }
        }
    }
}

/// Lines no field of a forced layout answers to (`二、单位自筹`, `三、社会资金` after
/// `财政拨款`, all under 资金总额) are printed inside the layout's funding block, under its
/// label: under a group label of their own they read back as parts of nothing, and the total
/// as the sum of 财政拨款 alone.
#[test]
fn lines_no_slot_answers_to_stay_in_the_funding_block() {
    let head: &[&[(u16, &str)]] = &[
        &[(0, "项目绩效目标表")],
        &[(0, "（2025年度）")],
        &[(0, "项目名称"), (1, "集镇污水管网改造")],
        &[(0, "项目资金（万元）"), (1, "总额")],
        &[(1, "财政拨款")],
        &[(1, "二、单位自筹")],
        &[(1, "三、社会资金")],
        &[(0, "年度目标"), (1, "完成集镇污水管网改造。")],
    ];
    let rows: Vec<&[(u16, &str)]> = head.iter().chain(GRID).copied().collect();
    let amounts = [(3, 2, 800.0), (4, 2, 500.0), (5, 2, 100.0), (6, 2, 200.0)];
    let bytes = typed_form(&rows, &amounts);
    let doc = jixiao::read_bytes(Path::new("编号.xlsx"), &bytes).expect("read");
    let lines = line_shape(&doc.tables[0]);
    let total = Some("annual_total".to_string());
    assert!(
        lines.iter().filter(|l| l.1 == total).count() == 3,
        "{lines:?}"
    );
    for layout in [Layout::Classic, Layout::National] {
        let (new, r) = new_rules(&doc, layout);
        assert_eq!(readback_errors(&r), Vec::<String>::new(), "{layout:?}");
        assert_eq!(new, Vec::<String>::new(), "{layout:?}");
        let back = jixiao::read_bytes(Path::new("o.xlsx"), &r.bytes).expect("read back");
        assert_eq!(line_shape(&back.tables[0]), lines, "{layout:?}");
    }
}

/// A 部门整体 form whose money block prints two blocks, each closed by its 合计 (收入构成:
/// 财政拨款, 其他资金; 支出构成: 基本支出, 项目支出), reads back in a built-in layout with
/// each 合计 over its own parts: side by side, each total would read back with the other's.
#[test]
fn two_money_blocks_each_closed_by_its_total_read_back() {
    let rows: &[&[(u16, &str)]] = &[
        &[(0, "部门整体支出绩效目标表")],
        &[(0, "部门名称"), (2, "某县农业农村局")],
        &[(0, "单位：万元")],
        &[(0, "部门资金总体情况"), (3, "本年金额")],
        &[(1, "收入构成"), (2, "财政拨款")],
        &[(2, "其他资金")],
        &[(2, "合计")],
        &[(1, "支出构成"), (2, "基本支出")],
        &[(2, "项目支出")],
        &[(2, "合计")],
        &[(0, "部门职能概述"), (1, "负责全县农业农村工作。")],
    ];
    let amounts = [
        (4, 3, 700.0),
        (5, 3, 100.0),
        (6, 3, 800.0),
        (7, 3, 450.0),
        (8, 3, 350.0),
        (9, 3, 800.0),
    ];
    let bytes = typed_form(rows, &amounts);
    let doc = jixiao::read_bytes(Path::new("部门.xlsx"), &bytes).expect("read");
    let lines = line_shape(&doc.tables[0]);
    assert_eq!(
        lines.iter().filter(|l| l.1.is_some()).count(),
        4,
        "{lines:?}"
    );
    for layout in [Layout::Classic, Layout::National] {
        let (new, r) = new_rules(&doc, layout);
        assert_eq!(readback_errors(&r), Vec::<String>::new(), "{layout:?}");
        assert_eq!(new, Vec::<String>::new(), "{layout:?}");
        let back = jixiao::read_bytes(Path::new("o.xlsx"), &r.bytes).expect("read back");
        let b = &back.tables[0];
        // Each part under the 合计 printed after it, in its block.
        let under = |t: &jixiao::model::Table, label: &str| -> Option<i64> {
            let l = t.funding.lines.iter().find(|l| l.label == label)?;
            let p = &t.funding.lines[l.parent?];
            Some(i64::from(p.cell?.row) - i64::from(l.cell?.row))
        };
        for part in ["财政拨款", "其他资金", "基本支出", "项目支出"] {
            assert_eq!(
                under(b, part),
                under(&doc.tables[0], part),
                "{layout:?} {part}: {:#?}",
                b.funding.lines
            );
        }
    }
}
