//! Unit tests of the stages, on small in-memory sheets.

pub(super) mod tests_support {
    use crate::read::grid::Cell;
    use crate::read::grid::{CellValue, Row, Sheet};

    /// A sheet from rows of (column, text); texts that parse as numbers become numbers.
    pub fn sheet(rows: &[&[(u32, &str)]]) -> Sheet {
        Sheet {
            name: "表1".into(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(r, cells)| Row {
                    row: r as u32,
                    cells: cells
                        .iter()
                        .map(|(c, t)| Cell {
                            col: *c,
                            value: match t.parse::<f64>() {
                                Ok(f) => CellValue::Number(f),
                                Err(_) => CellValue::Text((*t).to_string()),
                            },
                        })
                        .collect(),
                })
                .collect(),
            merges: Vec::new(),
            aligns: Default::default(),
            record: Default::default(),
        }
    }
}

mod classic_tests {
    use super::tests_support::sheet;
    use crate::cell::CellRef;
    use crate::model::IndicatorClass;
    use crate::read::grid::Sheet;
    use crate::read::locate::{locate_tables, split_department_code};

    fn classic() -> Sheet {
        sheet(&[
            &[(0, "2026年宁夏回族自治区部门项目支出预算绩效表")],
            &[(0, "(2026年)")],
            &[(5, "单位：万元")],
            &[(0, "项目名称"), (1, "甲项目")],
            &[
                (0, "主管部门"),
                (1, "[812]某厅"),
                (3, "实施单位"),
                (4, "某厅本级"),
            ],
            &[
                (0, "项目属性"),
                (1, "经常性项目"),
                (3, "项目期"),
                (4, "1年"),
            ],
            &[
                (0, "项目总额"),
                (1, "45"),
                (3, "其中：年度资金总额"),
                (4, "45"),
            ],
            &[
                (0, "其中： 本级资金"),
                (1, "资金总额"),
                (2, "45"),
                (3, "其中： 转移市县 (区)资金"),
                (4, "资金总额"),
                (5, "0"),
            ],
            &[(1, "财政拨款"), (2, "45"), (4, "中央资金"), (5, "0")],
            &[(1, "其他资金"), (2, "0"), (4, "自治区资"), (5, "0")],
            &[(1, "结余结转资金"), (2, "0")],
            &[(0, "年度总体\n绩效目标"), (1, "<p>开展2026年度工作</p>")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[(0, "产出指标"), (1, "数量指标"), (2, "宣传周"), (4, "1项")],
            &[(2, "演练"), (4, "1项")],
            &[(1, "成本指标"), (2, "宣传周"), (4, "30万元")],
            &[(1, "效益指标"), (2, "经济效益"), (3, "无"), (5, "无")],
            &[(0, "社会效益"), (2, "发生率"), (4, "≤20%")],
            &[
                (0, "满意度指标"),
                (1, "服务对象满意度"),
                (2, "满意率"),
                (4, "≥80%"),
            ],
        ])
    }

    #[test]
    fn reads_a_classic_table() {
        let found = locate_tables(&classic(), "a.xlsx");
        assert_eq!(found.len(), 1);
        let t = &found[0].table;
        assert_eq!(t.year, Some(2026));
        assert_eq!(t.project.name, "甲项目");
        assert_eq!(t.project.department, "某厅");
        assert_eq!(t.project.department_code.as_deref(), Some("812"));
        assert_eq!(t.project.implementing_unit, "某厅本级");
        assert_eq!(
            t.funding.total.map(|d| d.to_string()).as_deref(),
            Some("45.00")
        );
        assert_eq!(
            t.funding.own.fiscal.map(|d| d.to_string()).as_deref(),
            Some("45.00")
        );
        assert_eq!(
            t.funding.transfer.total.map(|d| d.to_string()).as_deref(),
            Some("0.00")
        );
        assert_eq!(
            t.funding
                .transfer
                .regional
                .map(|d| d.to_string())
                .as_deref(),
            Some("0.00")
        );
        assert_eq!(t.goal, "开展2026年度工作");
        assert_eq!(t.source.range, "A1:F19");
        let rows: Vec<(&str, &str, &str, &str)> = t
            .indicators
            .iter()
            .map(|i| {
                (
                    i.level1.as_str(),
                    i.level2.as_str(),
                    i.name.as_str(),
                    i.value.raw.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("产出指标", "数量指标", "宣传周", "1项"),
                ("产出指标", "数量指标", "演练", "1项"),
                ("产出指标", "成本指标", "宣传周", "30万元"),
                ("效益指标", "经济效益", "无", "无"),
                ("效益指标", "社会效益", "发生率", "≤20%"),
                ("满意度指标", "服务对象满意度", "满意率", "≥80%"),
            ]
        );
        assert_eq!(t.indicators[2].class, IndicatorClass::Cost);
        assert_eq!(t.indicators[4].cell, Some(CellRef::new(17, 4)));
        let rules: Vec<&str> = found[0].notices.iter().map(|n| n.rule.as_str()).collect();
        assert!(rules.contains(&"read.alias"), "{rules:?}");
        assert!(rules.contains(&"read.markup"), "{rules:?}");
        assert!(rules.contains(&"read.layout-repaired"), "{rules:?}");
    }

    #[test]
    fn stacked_tables_split_at_their_titles() {
        let mut s = classic();
        let mut second = classic();
        let offset = s.rows.len() as u32 + 2;
        for r in &mut second.rows {
            r.row += offset;
        }
        s.rows.extend(second.rows);
        let found = locate_tables(&s, "a.xlsx");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].table.indicators.len(), 6);
        assert_eq!(found[1].table.indicators.len(), 6);
        assert_eq!(
            found[1].table.title,
            "2026年宁夏回族自治区部门项目支出预算绩效表"
        );
        assert_eq!(found[1].table.source.range, "A22:F40");
    }

    #[test]
    fn non_tables_are_skipped() {
        let s = sheet(&[
            &[(0, "填报说明")],
            &[(0, "1. 请如实填写")],
            &[(0, "经常性项目")],
        ]);
        assert!(locate_tables(&s, "a.xlsx").is_empty());
    }

    #[test]
    fn department_codes() {
        assert_eq!(
            split_department_code("[812]自治区教育厅"),
            (Some("812".into()), "自治区教育厅".into())
        );
        assert_eq!(
            split_department_code("【812】 自治区教育厅"),
            (Some("812".into()), "自治区教育厅".into())
        );
        assert_eq!(
            split_department_code("自治区教育厅"),
            (None, "自治区教育厅".into())
        );
        // A list number in brackets is part of the name, not a code (codes have 3+ characters).
        assert_eq!(
            split_department_code("（2）目标"),
            (None, "（2）目标".into())
        );
        assert_eq!(split_department_code("(A1)某局"), (None, "(A1)某局".into()));
    }
}

mod drift_tests {
    use super::tests_support::sheet;
    use crate::cell::CellRef;
    use crate::model::{IndicatorClass, Layout};
    use crate::read::locate::locate_tables;
    use rust_decimal::Decimal;

    #[test]
    fn amounts_under_their_labels() {
        // The newer layout's funding block as column headers with the amounts below, in 元.
        let s = sheet(&[
            &[(0, "2026年项目支出绩效目标表")],
            &[(0, "项目名称"), (1, "乙项目")],
            &[
                (0, "主管部门及代码"),
                (1, "[812]某厅"),
                (2, "实施单位"),
                (3, "某厅本级"),
            ],
            &[
                (0, "项目资金（元）"),
                (1, "年度资金总额"),
                (2, "其中：财政拨款"),
                (3, "上年结转资金"),
                (4, "其他资金"),
            ],
            &[(1, "1000000"), (2, "800000"), (3, "150000"), (4, "50000")],
            &[(0, "年度总体目标")],
            &[(0, "完成乙工作")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (3, "指标性质"),
                (4, "指标值"),
                (5, "度量单位"),
            ],
            &[
                (0, "产出指标"),
                (1, "数量指标"),
                (2, "培训"),
                (3, "≥"),
                (4, "3"),
                (5, "次"),
            ],
        ]);
        let found = locate_tables(&s, "b.xlsx");
        assert_eq!(found.len(), 1);
        let t = &found[0].table;
        let f = &t.funding;
        let s = |d: Option<Decimal>| d.map(|d| d.to_string()).unwrap_or_default();
        assert_eq!(s(f.annual_total), "100.00");
        assert_eq!(s(f.own.fiscal), "80.00");
        assert_eq!(s(f.own.carryover), "15.00");
        assert_eq!(s(f.own.other), "5.00");
        // The form prints no 本级 / 转移 line: neither is invented.
        assert_eq!(f.own.total, None);
        assert_eq!(f.transfer.total, None);
        assert_eq!(t.goal, "完成乙工作");
        assert_eq!(t.layout, Layout::National);
        assert_eq!(t.indicators[0].value.raw, "≥3次");
        assert_eq!(t.cell_of("funding.own.fiscal"), Some(CellRef::new(4, 2)));
        assert!(found[0]
            .notices
            .iter()
            .any(|n| n.rule == "read.unit-converted"));
    }

    #[test]
    fn merged_values_repeated_in_every_cell() {
        let s = sheet(&[
            &[(0, "项目名称"), (1, "丙项目"), (2, "丙项目"), (3, "丙项目")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[
                (0, "产出指标"),
                (1, "数量指标"),
                (2, "培训"),
                (3, "培训"),
                (4, "1次"),
                (5, "1次"),
            ],
            &[
                (0, "效益指标"),
                (1, "经济效益"),
                (2, "无"),
                (3, "无"),
                (4, "无"),
                (5, "无"),
            ],
        ]);
        let t = &locate_tables(&s, "c.xlsx")[0].table;
        assert_eq!(t.project.name, "丙项目");
        let rows: Vec<(&str, &str)> = t
            .indicators
            .iter()
            .map(|i| (i.name.as_str(), i.value.raw.as_str()))
            .collect();
        assert_eq!(rows, vec![("培训", "1次"), ("无", "无")]);
    }

    #[test]
    fn rows_pushed_left_keep_their_level() {
        // The seed text's page-break rows: the name lands in column A, the value in C.
        let s = sheet(&[
            &[(0, "项目名称"), (1, "戊项目")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[
                (0, "产出指标"),
                (1, "成本指标"),
                (2, "宣传经费"),
                (4, "10万元"),
            ],
            &[(0, "网络法治宣传项目经费"), (2, "86万元")],
            &[(0, "效益指标"), (1, "经济效益"), (2, "无"), (4, "无")],
        ]);
        let t = &locate_tables(&s, "e.xlsx")[0].table;
        let rows: Vec<(&str, &str, &str)> = t
            .indicators
            .iter()
            .map(|i| (i.level2.as_str(), i.name.as_str(), i.value.raw.as_str()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("成本指标", "宣传经费", "10万元"),
                ("成本指标", "网络法治宣传项目经费", "86万元"),
                ("经济效益", "无", "无"),
            ]
        );
    }

    #[test]
    fn a_second_level_under_an_empty_first_level_cell_is_placed_by_vocabulary() {
        // Issue 10: a 二级 whose 一级 cell is empty is placed by the vocabulary (Hunan's 满意度
        // row prints only its 二级 below the 效益 rows), with a notice.
        let s = sheet(&[
            &[(0, "项目名称"), (1, "己项目")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[(0, "产出指标"), (1, "数量指标"), (2, "培训"), (4, "1次")],
            &[(1, "经济效益"), (2, "增收"), (4, "≥5%")],
        ]);
        let found = &locate_tables(&s, "f.xlsx")[0];
        let ind = &found.table.indicators[1];
        assert_eq!(
            (ind.level1.as_str(), ind.level2.as_str()),
            ("效益指标", "经济效益")
        );
        assert_eq!(ind.class, IndicatorClass::Economic);
        assert!(
            found
                .notices
                .iter()
                .any(|n| n.rule == "read.layout-repaired"),
            "{:?}",
            found.notices
        );
    }

    #[test]
    fn second_level_words_typed_as_names_stay_names() {
        // 黄石 2019: a grid without a 二级 column, the department typing 质量 / 成本 under 指标名称.
        // A 二级 heading needs a level column: these are the rows' names, their data kept.
        let s = sheet(&[
            &[(0, "项目名称"), (1, "庚项目")],
            &[(1, "一级指标"), (2, "指标名称"), (3, "指标值")],
            &[(1, "产出指标"), (2, "质量"), (3, "合格")],
            &[(2, "成本"), (3, "年度预算220万元")],
            &[(1, "效益指标"), (2, "社会效益"), (3, "明显")],
        ]);
        let t = &locate_tables(&s, "f.xlsx")[0].table;
        let rows: Vec<(&str, &str, &str)> = t
            .indicators
            .iter()
            .map(|i| (i.level1.as_str(), i.name.as_str(), i.value.raw.as_str()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("产出指标", "质量", "合格"),
                ("产出指标", "成本", "年度预算220万元"),
                ("效益指标", "社会效益", "明显"),
            ]
        );
    }

    #[test]
    fn a_misplaced_second_level_stays_as_printed() {
        // A 二级 printed on the same row as another 一级 stays as printed, for the checker.
        let s = sheet(&[
            &[(0, "项目名称"), (1, "己项目")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[(0, "产出指标"), (1, "数量指标"), (2, "培训"), (4, "1次")],
            &[(0, "产出指标"), (1, "经济效益"), (2, "增收"), (4, "≥5%")],
        ]);
        let found = &locate_tables(&s, "f.xlsx")[0];
        let ind = &found.table.indicators[1];
        assert_eq!(
            (ind.level1.as_str(), ind.level2.as_str()),
            ("产出指标", "经济效益")
        );
        assert_eq!(ind.class, IndicatorClass::Economic);
        let repairs: Vec<_> = found
            .notices
            .iter()
            .filter(|n| n.rule != "read.profile")
            .collect();
        assert!(repairs.is_empty(), "{repairs:?}");
    }

    #[test]
    fn repeated_headers_and_extra_wordings() {
        let s = sheet(&[
            &[
                (0, "项目名称"),
                (1, "庚项目"),
                (2, "项目属性"),
                (3, "经常性项目"),
                (4, "项目类别"),
                (5, "其他"),
            ],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[(0, "产出指标"), (1, "数量指标"), (2, "培训"), (4, "1次")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
            &[
                (0, "满意度指标"),
                (1, "服务对象满意度"),
                (2, "学员满意度"),
                (4, "≥90%"),
            ],
        ]);
        let t = &locate_tables(&s, "g.xlsx")[0].table;
        assert_eq!(t.project.attribute, "经常性项目");
        let names: Vec<&str> = t.indicators.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, vec!["培训", "学员满意度"]);
    }

    #[test]
    fn unit_beside_other_notes_above_the_table() {
        let s = sheet(&[
            &[(0, "2026年项目支出绩效目标表")],
            &[(0, "填报单位（盖章）：某厅"), (4, "单位：元")],
            &[(0, "项目名称"), (1, "辛项目")],
            &[(0, "项目总额"), (1, "50000")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (4, "指标值"),
            ],
        ]);
        let t = &locate_tables(&s, "h.xlsx")[0].table;
        assert_eq!(t.title, "2026年项目支出绩效目标表");
        assert_eq!(
            t.funding.total.map(|d| d.to_string()).as_deref(),
            Some("5.00")
        );
    }

    #[test]
    fn label_and_value_in_one_cell() {
        let s = sheet(&[
            &[(0, "项目名称：丁项目"), (3, "项目属性：经常性项目")],
            &[(0, "项目总额（万元）"), (1, "12.5")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (3, "指标值"),
            ],
            &[
                (0, "产出指标"),
                (1, "时效指标"),
                (2, "完成时间"),
                (3, "2026年6月前"),
            ],
        ]);
        let t = &locate_tables(&s, "d.xlsx")[0].table;
        assert_eq!(t.project.name, "丁项目");
        assert_eq!(t.project.attribute, "经常性项目");
        assert_eq!(
            t.funding.total.map(|d| d.to_string()).as_deref(),
            Some("12.50")
        );
        assert_eq!(t.indicators[0].class, IndicatorClass::Timeliness);
    }

    /// The national funding block with an empty 上年结转资金 row, then a line of its own label
    /// (`其他 | 368.34`) and a metadata row (`项目总体情况 | 根据…`): neither is the empty row's
    /// value below it.
    fn funding_block(rows: &[&[(u32, &'static str)]]) -> crate::model::Table {
        let mut all: Vec<&[(u32, &str)]> = vec![
            &[(0, "项目支出绩效目标表")],
            &[(0, "项目名称"), (1, "辛项目")],
            &[(0, "项目资金（万元）"), (1, "年度资金总额"), (4, "400")],
            &[(1, "其中：财政拨款"), (4, "300")],
            &[(1, "上年结转资金")],
        ];
        all.extend_from_slice(rows);
        all.push(&[
            (0, "一级指标"),
            (1, "二级指标"),
            (2, "三级指标"),
            (4, "指标值"),
        ]);
        all.push(&[(0, "产出指标"), (1, "数量指标"), (2, "培训"), (4, "1次")]);
        locate_tables(&sheet(&all), "f.xlsx").remove(0).table
    }

    #[test]
    fn a_label_row_under_an_empty_amount_is_a_row_of_its_own() {
        let t = funding_block(&[&[(1, "其他"), (4, "100")]]);
        assert_eq!(t.funding.own.other, Some(Decimal::new(100, 0)), "{t:#?}");
        assert_eq!(t.funding.own.carryover, None);
        assert!(t.extra.is_empty(), "{:?}", t.extra);
        let t = funding_block(&[
            &[(1, "其他资金")],
            &[(0, "项目总体情况"), (1, "根据某文件，每生每年780元")],
        ]);
        let meta: Vec<(&str, &str)> = t
            .metadata
            .iter()
            .map(|m| (m.label.as_str(), m.value.as_str()))
            .collect();
        assert_eq!(meta, [("项目总体情况", "根据某文件，每生每年780元")]);
        assert!(t.extra.is_empty(), "{:?}", t.extra);
        assert!(t
            .funding
            .lines
            .iter()
            .all(|l| l.raw.is_empty() || l.amount.is_some()));
        // The label in the empty line's own column (a form written with its lines in the label
        // column: `地方资金 | (blank)` over `省级财政部门 | 重庆市财政局`): words, no amount.
        let t = funding_block(&[
            &[(1, "其他资金")],
            &[(1, "省级财政部门"), (2, "某市财政局")],
        ]);
        let meta: Vec<(&str, &str)> = t
            .metadata
            .iter()
            .map(|m| (m.label.as_str(), m.value.as_str()))
            .collect();
        assert_eq!(meta, [("省级财政部门", "某市财政局")], "{t:#?}");
        assert!(t.extra.is_empty(), "{:?}", t.extra);
        assert!(t
            .funding
            .lines
            .iter()
            .all(|l| l.raw.is_empty() || l.amount.is_some()));
    }

    #[test]
    fn a_line_labelled_with_its_span_is_of_that_span() {
        let t = funding_block(&[
            &[(1, "其他资金"), (4, "100")],
            &[
                (0, "其他资金来源"),
                (1, "其中：财政拨款（中期）"),
                (4, "900"),
            ],
        ]);
        assert_eq!(t.funding.own.fiscal, Some(Decimal::new(300, 0)), "{t:#?}");
        let mid = t
            .funding
            .lines
            .iter()
            .find(|l| l.label.contains("中期"))
            .unwrap_or_else(|| panic!("{:?}", t.funding.lines));
        assert_eq!(mid.scope, crate::model::FundingScope::MidTerm);
        assert_eq!(mid.amount, Some(Decimal::new(900, 0)));
    }
}

mod values_tests {
    use super::tests_support::sheet;
    use crate::read::grid::CellValue;
    use crate::read::locate::locate_tables;
    use rust_decimal::Decimal;

    /// A small project table with `funding` rows between its header and its grid.
    fn table_with(funding: &[&[(u32, &str)]]) -> crate::read::grid::Sheet {
        let mut rows: Vec<&[(u32, &str)]> = vec![
            &[(0, "2024年项目支出绩效目标表")],
            &[(0, "项目名称"), (1, "甲项目")],
            &[(0, "主管部门"), (1, "某局")],
        ];
        rows.extend_from_slice(funding);
        rows.extend_from_slice(&[
            &[(0, "年度总体目标"), (1, "完成甲工作")],
            &[
                (0, "一级指标"),
                (1, "二级指标"),
                (2, "三级指标"),
                (3, "指标性质"),
                (4, "指标值"),
                (5, "度量单位"),
            ],
            &[
                (0, "产出指标"),
                (1, "时效指标"),
                (2, "完成时限"),
                (3, "定性"),
                (4, "2024.07"),
                (5, "2024.07"),
            ],
        ]);
        sheet(&rows)
    }

    fn amount(d: Option<Decimal>) -> String {
        d.map(|d| d.normalize().to_string()).unwrap_or_default()
    }

    #[test]
    fn a_total_row_closes_the_lines_above_it() {
        for word in ["合计", "资金总计", "经费小计"] {
            let s = table_with(&[
                &[(0, "项目资金（万元）"), (1, "财政拨款"), (3, "30")],
                &[(1, "其他资金"), (3, "10")],
                &[(1, word), (3, "40")],
            ]);
            let t = &locate_tables(&s, "a.xlsx")[0].table;
            assert_eq!(amount(t.funding.annual_total), "40", "{word}");
            // The total is no line of its own beside its parts: they are its children.
            let lines = &t.funding.lines;
            let total = lines
                .iter()
                .position(|l| l.label == word)
                .unwrap_or_else(|| panic!("{word}: {lines:?}"));
            assert_eq!(lines[total].parent, None, "{word}");
            for l in lines.iter().filter(|l| l.label != word) {
                assert_eq!(l.parent, Some(total), "{word}: {}", l.label);
            }
        }
    }

    #[test]
    fn a_code_row_is_not_the_amount_of_a_line_above() {
        let s = table_with(&[
            &[
                (0, "资金情况（万元）"),
                (1, "项目资金总额:"),
                (2, "50"),
                (3, "年度资金申请总额"),
                (4, "50"),
            ],
            &[
                (1, "其中:财政资金"),
                (2, "50"),
                (3, "其中:当年财政拨款"),
                (4, "50"),
            ],
            &[(1, "其他资金"), (3, "其他资金")],
            &[(0, "财政资金科目代码"), (1, "21305")],
        ]);
        let t = &locate_tables(&s, "b.xlsx")[0].table;
        assert_eq!(amount(t.funding.annual_total), "50");
        assert!(
            t.funding.lines.iter().all(|l| amount(l.amount) != "21305"),
            "{:?}",
            t.funding.lines
        );
    }

    #[test]
    fn a_unit_column_repeating_the_value_is_no_unit() {
        let t = &locate_tables(&table_with(&[]), "c.xlsx")[0].table;
        assert_eq!(t.indicators[0].value.raw, "2024.07");
        // A date cell beside its serial, and beside itself.
        for unit in [CellValue::Number(45473.0), CellValue::Date(2024, 6, 30)] {
            let mut s = table_with(&[]);
            let last = s.rows.last_mut().expect("a grid row");
            last.cells[4].value = CellValue::Date(2024, 6, 30);
            last.cells[5].value = unit.clone();
            let t = &locate_tables(&s, "d.xlsx")[0].table;
            assert_eq!(t.indicators[0].value.raw, "2024年6月30日", "{unit:?}");
        }
    }
}

mod task_total_tests {
    use super::tests_support::sheet;
    use crate::read::locate::locate_tables;

    fn department(total: bool) -> crate::read::grid::Sheet {
        let mut rows: Vec<&[(u32, &str)]> = vec![
            &[(0, "部门整体支出绩效目标表")],
            &[(0, "（2026年度）")],
            &[(0, "部门（单位）名称"), (1, "某县自然资源局")],
            &[(0, "部门职责"), (1, "负责全县自然资源管理。")],
            &[
                (0, "年度预算安排（万元）"),
                (1, "资金总额"),
                (2, "40"),
                (3, "其中：一般公共预算"),
                (4, "40"),
            ],
            &[(1, "其中：基本支出"), (2, "10"), (3, "其他资金"), (4, "0")],
            &[(1, "项目支出"), (2, "30")],
            &[(0, "年度总体（绩效）目标"), (1, "完成年度工作。")],
            &[
                (0, "年度履职目标"),
                (1, "部门职能"),
                (2, "年度目标任务"),
                (4, "支出项目名称"),
                (5, "预算金额"),
            ],
            &[
                (1, "调查监测"),
                (2, "完成变更调查"),
                (4, "变更调查项目"),
                (5, "20"),
            ],
            &[
                (1, "国土空间规划"),
                (2, "完成规划编制"),
                (4, "规划编制项目"),
                (5, "10"),
            ],
        ];
        if total {
            rows.push(&[(1, "合计"), (5, "30")]);
        }
        rows.extend_from_slice(&[
            &[
                (0, "年度绩效指标"),
                (1, "一级指标"),
                (2, "二级指标"),
                (3, "三级指标"),
                (5, "指标值"),
            ],
            &[
                (1, "产出指标"),
                (2, "数量指标"),
                (3, "图斑核查数量"),
                (5, "≥1200个"),
            ],
        ]);
        sheet(&rows)
    }

    #[test]
    fn a_total_row_closes_the_tasks_and_is_no_funding_line() {
        let plain = &locate_tables(&department(false), "a.xlsx")[0].table;
        let t = &locate_tables(&department(true), "b.xlsx")[0].table;
        let tasks = |t: &crate::model::Table| t.department.clone().unwrap_or_default().tasks;
        assert_eq!(tasks(plain).len(), 2);
        assert_eq!(tasks(t), tasks(plain));
        // No extra funding line, and the year's money unchanged.
        assert_eq!(t.funding.lines, plain.funding.lines);
        let total: Vec<_> = t
            .metadata
            .iter()
            .filter(|m| m.key == "tasks_total")
            .map(|m| (m.label.as_str(), m.value.as_str()))
            .collect();
        assert_eq!(total, [("合计", "30")]);
        assert_eq!(t.indicators.len(), 1);
    }
}

mod unit_corner_tests {
    use super::tests_support::sheet;
    use crate::cell::CellRef;
    use crate::read::locate::locate_tables;
    use rust_decimal::Decimal;

    /// A 部门整体 table's money block without shares, its corner stating the table's unit
    /// (`部门资金总体情况 | 单位：元 | 本年金额`): the heading stays as printed, the unit is the
    /// table's, and no field holds the unit as its value (issue 20: metadata
    /// `部门资金总体情况：单位:万元`, and the amounts read in 万元).
    #[test]
    fn a_unit_in_the_money_blocks_corner_is_the_tables_unit() {
        let s = sheet(&[
            &[(0, "部门整体支出绩效目标表")],
            &[
                (0, "部门名称"),
                (2, "某县水务局"),
                (3, "填报人"),
                (4, "赵敏"),
            ],
            &[(0, "部门资金总体情况"), (1, "单位：元"), (3, "本年金额")],
            &[(1, "收入构成"), (2, "财政拨款"), (3, "5200000")],
            &[(2, "其他资金"), (3, "1300000")],
            &[(2, "合计"), (3, "6500000")],
            &[(1, "支出构成"), (2, "基本支出"), (3, "4000000")],
            &[(2, "项目支出"), (3, "2500000")],
            &[(2, "合计"), (3, "6500000")],
            &[(0, "部门职能概述"), (1, "负责全县水资源管理。")],
        ]);
        let t = &locate_tables(&s, "d.xlsx")[0].table;
        let meta: Vec<(&str, &str)> = t
            .metadata
            .iter()
            .map(|m| (m.label.as_str(), m.value.as_str()))
            .collect();
        assert_eq!(meta, [("填报人", "赵敏")]);
        assert_eq!(t.source_unit.as_deref(), Some("元"));
        assert_eq!(
            t.cells.get("unit").map(|f| f.cell),
            Some(CellRef::new(2, 1))
        );
        assert_eq!(t.funding.annual_total, Some(Decimal::new(650, 0)));
        assert!(
            t.extra
                .iter()
                .any(|e| e.value == "部门资金总体情况" && e.cell == CellRef::new(2, 0)),
            "{:?}",
            t.extra
        );
    }
}
