//! Unit tests of cells that hold more than one thing: several `label:value` pairs, a stamp
//! placeholder, a code after a name, a numbered line with its amount, headings over values.
//! Wordings other than the corpus tables' on purpose.

use super::tests::tests_support::sheet;
use crate::read::locate::locate_tables;

/// A small table under `rows`, with a grid so that it is one.
fn with_grid(rows: &[&[(u32, &str)]]) -> Vec<Vec<(u32, String)>> {
    let mut out: Vec<Vec<(u32, String)>> = rows
        .iter()
        .map(|r| r.iter().map(|(c, t)| (*c, (*t).to_string())).collect())
        .collect();
    out.push(vec![
        (0, "一级指标".into()),
        (1, "二级指标".into()),
        (2, "三级指标".into()),
        (3, "指标值".into()),
    ]);
    out.push(vec![
        (0, "产出指标".into()),
        (1, "数量指标".into()),
        (2, "培训人数".into()),
        (3, "≥200人".into()),
    ]);
    out
}

fn table(rows: &[&[(u32, &str)]], footer: &[&[(u32, &str)]]) -> crate::model::Table {
    let mut all = with_grid(rows);
    for r in footer {
        all.push(r.iter().map(|(c, t)| (*c, (*t).to_string())).collect());
    }
    let owned: Vec<Vec<(u32, &str)>> = all
        .iter()
        .map(|r| r.iter().map(|(c, t)| (*c, t.as_str())).collect())
        .collect();
    let refs: Vec<&[(u32, &str)]> = owned.iter().map(Vec::as_slice).collect();
    let tables = locate_tables(&sheet(&refs), "t.xlsx");
    assert_eq!(tables.len(), 1, "{tables:#?}");
    tables
        .into_iter()
        .next()
        .map(|l| l.table)
        .unwrap_or_default()
}

fn meta(t: &crate::model::Table, label: &str) -> Option<String> {
    t.metadata
        .iter()
        .find(|m| m.label == label)
        .map(|m| m.value.clone())
}

#[test]
fn several_pairs_in_one_cell_each_go_to_their_field() {
    let t = table(
        &[
            &[(0, "2025年项目支出绩效目标表")],
            &[(0, "填报单位：（公章） 金额单位：元")],
            &[(0, "项目名称"), (1, "乡村教师培训")],
            &[(0, "主管部门：某县教育局 实施单位：某县教师发展中心")],
            &[(0, "年度资金总额"), (1, "150000")],
        ],
        &[&[(0, "经办人：李四 电话：0951-5551234 填表日期： 审核人：")]],
    );
    assert_eq!(t.project.name, "乡村教师培训");
    assert_eq!(t.project.department, "某县教育局");
    assert_eq!(t.project.implementing_unit, "某县教师发展中心");
    // The unit line split off the preamble: 150000 元 is 15 万元.
    assert_eq!(
        t.funding.annual_total.map(|d| d.to_string()).as_deref(),
        Some("15.00")
    );
    // The stamp placeholder is the label's, not a value.
    assert_eq!(meta(&t, "填报单位（公章）").as_deref(), Some(""));
    assert_eq!(meta(&t, "经办人").as_deref(), Some("李四"));
    assert_eq!(meta(&t, "电话").as_deref(), Some("0951-5551234"));
    assert_eq!(meta(&t, "填表日期").as_deref(), Some(""));
    assert_eq!(meta(&t, "审核人").as_deref(), Some(""));
}

#[test]
fn a_cell_with_one_colon_or_no_label_first_is_not_split() {
    let t = table(
        &[
            &[(0, "项目名称"), (1, "道路养护")],
            &[(0, "项目概况"), (1, "说明：全年养护 里程：120公里")],
        ],
        &[],
    );
    // `说明` names no field: the cell is one value.
    assert_eq!(
        meta(&t, "项目概况").as_deref(),
        Some("说明：全年养护里程：120公里")
    );
}

#[test]
fn a_code_after_the_name_is_split_off() {
    let t = table(
        &[
            &[(0, "项目名称"), (1, "河道清淤")],
            &[
                (0, "主管部门"),
                (1, "某市水利局（402003）"),
                (2, "实施单位"),
                (3, "某市河道管理所 402003001"),
            ],
        ],
        &[],
    );
    assert_eq!(t.project.department, "某市水利局");
    assert_eq!(t.project.department_code.as_deref(), Some("402003"));
    assert_eq!(t.project.implementing_unit, "某市河道管理所");
    assert_eq!(
        t.project.implementing_unit_code.as_deref(),
        Some("402003001")
    );
    // A year in brackets is not a code.
    let t = table(
        &[
            &[(0, "项目名称"), (1, "河道清淤")],
            &[(0, "主管部门"), (1, "某市水利局(2024)")],
        ],
        &[],
    );
    assert_eq!(t.project.department, "某市水利局(2024)");
    assert_eq!(t.project.department_code, None);
}

#[test]
fn numbered_lines_with_their_amounts_are_parts_of_the_line_above() {
    let t = table(
        &[
            &[(0, "项目名称"), (1, "河道清淤")],
            &[(0, "年度资金总额"), (1, "80")],
            &[(1, "(一)财政拨款资金：60")],
            // The amount in the cell after the label.
            &[(1, "(二)单位自筹"), (2, "20")],
        ],
        &[],
    );
    let lines = &t.funding.lines;
    let total = lines.iter().position(|l| l.label == "年度资金总额");
    assert!(total.is_some(), "{lines:#?}");
    for (label, amount) in [("(一)财政拨款资金", "60.00"), ("(二)单位自筹", "20.00")] {
        let l = lines.iter().find(|l| l.label == label);
        let l = l.unwrap_or_else(|| panic!("no line {label}: {lines:#?}"));
        assert_eq!(l.amount.map(|d| d.to_string()).as_deref(), Some(amount));
        assert_eq!(l.parent, total, "{label}");
    }
    assert_eq!(
        t.funding.annual_total.map(|d| d.to_string()).as_deref(),
        Some("80.00")
    );
}

#[test]
fn headings_over_values_are_fields_under_those_headings() {
    let t = table(
        &[
            &[(0, "项目名称"), (1, "河道清淤")],
            &[
                (0, "实施计划"),
                (1, "工作内容"),
                (3, "计划开始"),
                (4, "计划完成"),
            ],
            &[(1, "清理淤泥3万方"), (3, "2025年3月"), (4, "2025年10月")],
        ],
        &[],
    );
    assert_eq!(meta(&t, "工作内容").as_deref(), Some("清理淤泥3万方"));
    assert_eq!(meta(&t, "计划开始").as_deref(), Some("2025年3月"));
    assert_eq!(meta(&t, "计划完成").as_deref(), Some("2025年10月"));
    assert_eq!(meta(&t, "实施计划"), None);
    assert!(t.indicators.len() == 1 && t.funding.lines.is_empty());
}

#[test]
fn words_beside_words_stay_label_and_value_pairs() {
    let t = table(
        &[
            &[(0, "项目名称"), (1, "河道清淤")],
            &[
                (0, "归口科室"),
                (1, "农水股"),
                (2, "编制单位"),
                (3, "某镇政府"),
            ],
            // A label and its amount under them: still pairs, not values under headings.
            &[(0, "申请额度"), (1, "85")],
        ],
        &[],
    );
    assert_eq!(meta(&t, "归口科室").as_deref(), Some("农水股"));
    assert_eq!(meta(&t, "编制单位").as_deref(), Some("某镇政府"));
    assert_eq!(meta(&t, "申请额度").as_deref(), Some("85"));
}

#[test]
fn amounts_under_two_rows_of_headings_are_lines_of_the_first() {
    let t = table(
        &[
            &[(0, "项目名称"), (1, "校舍维修")],
            &[
                (0, "经费情况"),
                (1, "本年度计划投入(万元)"),
                (2, "财政性资金(万元)"),
                (4, "其它"),
            ],
            &[(2, "县级"), (3, "乡镇级")],
            &[(1, "12"), (2, "8"), (3, "4"), (4, "0")],
        ],
        &[],
    );
    let lines = &t.funding.lines;
    let total = lines.iter().position(|l| l.label == "本年度计划投入(万元)");
    assert!(total.is_some(), "{lines:#?}");
    assert_eq!(
        t.funding.annual_total.map(|d| d.to_string()).as_deref(),
        Some("12.00")
    );
    for (label, amount) in [("县级", "8.00"), ("乡镇级", "4.00"), ("其它", "0.00")] {
        let l = lines.iter().find(|l| l.label == label);
        let l = l.unwrap_or_else(|| panic!("no line {label}: {lines:#?}"));
        assert_eq!(l.amount.map(|d| d.to_string()).as_deref(), Some(amount));
        assert_eq!(l.parent, total, "{label}");
        assert_eq!(l.scope, crate::model::FundingScope::Annual, "{label}");
    }
    // The heading spread over two sub-headings has no amount of its own: no line.
    assert!(
        lines.iter().all(|l| !l.label.starts_with("财政性资金")),
        "{lines:#?}"
    );
    assert_eq!(lines.len(), 4, "{lines:#?}");
}

#[test]
fn a_choice_printed_as_boxes_reads_as_the_ticked_option() {
    let t = table(
        &[
            &[(0, "项目名称"), (1, "校舍维修")],
            &[(0, "项目类别"), (1, "□新增项目 ☑延续项目")],
        ],
        &[],
    );
    assert_eq!(t.project.category, "延续项目");
    // The raw text stays in the field's source.
    assert_eq!(
        t.cells.get("project.category").map(|f| f.raw.as_str()),
        Some("□新增项目 ☑延续项目")
    );
}

#[test]
fn a_regional_table_is_its_lowest_levels_department() {
    let levels = [
        ("中央主管部门", "甲部"),
        ("省级主管部门", "乙厅"),
        ("县级主管部门", "丙局"),
    ];
    for reversed in [false, true] {
        let mut rows: Vec<[(u32, &str); 2]> =
            levels.iter().map(|(l, v)| [(0, *l), (1, *v)]).collect();
        if reversed {
            rows.reverse();
        }
        let mut all: Vec<&[(u32, &str)]> = vec![&[(0, "资金名称"), (1, "某补助资金")]];
        all.extend(rows.iter().map(|r| &r[..]));
        let t = table(&all, &[]);
        assert_eq!(t.project.department, "丙局", "reversed: {reversed}");
        assert_eq!(meta(&t, "中央主管部门").as_deref(), Some("甲部"));
        assert_eq!(meta(&t, "省级主管部门").as_deref(), Some("乙厅"));
        assert_eq!(meta(&t, "县级主管部门"), None);
    }
}

#[test]
fn a_title_column_starting_under_the_grid_header_is_no_level() {
    let rows: Vec<Vec<(u32, &str)>> = vec![
        vec![(0, "项目名称"), (1, "某项目")],
        vec![(0, "主管部门"), (1, "某局")],
        vec![(0, "年度目标"), (1, "完成某事")],
        vec![
            (1, "一级指标"),
            (2, "二级指标"),
            (3, "三级指标"),
            (4, "单位"),
            (5, "指标值"),
        ],
        vec![
            (0, "绩效指标"),
            (1, "产出指标"),
            (2, "数量指标"),
            (3, "培训人数"),
            (4, "人"),
            (5, "≥200人"),
        ],
        vec![(3, "合格率"), (4, "%"), (5, "≥90%")],
    ];
    let refs: Vec<&[(u32, &str)]> = rows.iter().map(Vec::as_slice).collect();
    let tables = locate_tables(&sheet(&refs), "t.xlsx");
    let t = &tables[0].table;
    let got: Vec<(&str, &str, &str, Option<&str>)> = t
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_str(),
                i.level2.as_str(),
                i.name.as_str(),
                i.unit_column.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("产出指标", "数量指标", "培训人数", Some("人")),
            ("产出指标", "数量指标", "合格率", Some("%")),
        ]
    );
}

/// A unit typed with its value above the header block names whose budget the table is in
/// (metadata), unless its words say it carries the project out; in the header block the same
/// `预算单位` is the project's unit when no other is printed.
#[test]
fn a_budget_unit_above_the_header_block_is_metadata() {
    let above = |line: &str, unit: Option<(&str, &str)>| {
        let mut rows: Vec<Vec<(u32, &str)>> = vec![
            vec![(0, "2024年项目支出绩效目标表")],
            vec![(0, line)],
            vec![(0, "项目名称"), (1, "农村饮水安全巡检")],
        ];
        if let Some((l, v)) = unit {
            rows.push(vec![(0, l), (1, v)]);
        }
        let refs: Vec<&[(u32, &str)]> = rows.iter().map(Vec::as_slice).collect();
        table(&refs, &[])
    };
    let t = above("预算单位：某县水务局", None);
    assert_eq!(t.project.implementing_unit, "");
    assert_eq!(meta(&t, "预算单位").as_deref(), Some("某县水务局"));
    // A wording that is no listed official one, read after it, still holds the field.
    let t = above("预算单位:某县水务局", Some(("项目执行单位", "某县供水站")));
    assert_eq!(t.project.implementing_unit, "某县供水站");
    assert_eq!(meta(&t, "预算单位").as_deref(), Some("某县水务局"));
    // Words that say who carries the project out hold the field wherever they stand.
    for line in ["实施单位：某县供水站", "项目申报单位:某县供水站"] {
        let t = above(line, None);
        assert_eq!(t.project.implementing_unit, "某县供水站", "{line}");
        assert_eq!(meta(&t, "预算单位"), None, "{line}");
    }
    // In the header block, the only unit.
    let t = table(
        &[
            &[(0, "2024年项目支出绩效目标表")],
            &[(0, "项目名称"), (1, "农村饮水安全巡检")],
            &[(0, "预算单位"), (1, "某县供水站")],
        ],
        &[],
    );
    assert_eq!(t.project.implementing_unit, "某县供水站");
    assert_eq!(meta(&t, "预算单位"), None);
}

#[test]
fn a_breakdown_in_brackets_after_an_inline_amount_is_no_pair_of_its_own() {
    let t = table(
        &[
            &[(0, "项目名称"), (1, "河道清淤")],
            &[(0, "年度资金总额"), (1, "80")],
            &[(
                1,
                "财政拨款：50万元（其中：中央补助资金：30万元；省级资金：20万元）",
            )],
            // The list's first item printed without its number: the second shares its parent.
            &[(1, "二、单位自筹：30万元")],
        ],
        &[],
    );
    let lines = &t.funding.lines;
    let total = lines.iter().position(|l| l.label == "年度资金总额");
    assert!(total.is_some(), "{lines:#?}");
    assert!(
        !lines.iter().any(|l| l.label.contains("中央补助")),
        "{lines:#?}"
    );
    for (label, amount) in [("财政拨款", "50"), ("二、单位自筹", "30")] {
        let l = lines.iter().find(|l| l.label == label);
        let l = l.unwrap_or_else(|| panic!("no line {label}: {lines:#?}"));
        assert_eq!(
            l.amount.map(|d| d.normalize().to_string()).as_deref(),
            Some(amount)
        );
        assert_eq!(l.parent, total, "{label}");
    }
    // The breakdown is kept in the line's raw text.
    let fiscal = lines.iter().find(|l| l.label == "财政拨款");
    assert!(fiscal.is_some_and(|l| l.raw.contains("中央补助资金：30万元")));
}

#[test]
fn the_ordinal_of_a_numbered_label() {
    use super::lines::numbering_ordinal;
    for (label, n) in [
        ("二、自有资金", 2),
        ("（三）其他", 3),
        ("十二、其他", 12),
        ("(4)专项", 4),
        ("1.财政拨款", 1),
        ("财政拨款", 0),
    ] {
        assert_eq!(numbering_ordinal(label), n, "{label}");
    }
}
