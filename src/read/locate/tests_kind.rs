//! Unit tests of a table's kind decided by what it holds: a form that names a department
//! (部门（单位）名称, 部门预算编码) above a project and its grid is a project's table, of a
//! project profile. Wordings other than the corpus tables' on purpose.

use super::tests::tests_support::sheet;
use crate::model::TableKind;
use crate::read::locate::locate_tables;
use crate::read::profile::Profiles;

fn transfer_form(tasks: bool) -> crate::read::grid::Sheet {
    let mut rows: Vec<&[(u32, &str)]> = vec![
        &[(0, "某专项资金绩效目标表")],
        &[(0, "（2025年度）")],
        &[
            (0, "部门（单位）名称"),
            (1, "某市农业农村局"),
            (3, "部门预算编码"),
            (4, "412"),
        ],
        &[(0, "项目名称"), (1, "耕地保护补助")],
        &[(0, "资金情况（万元）"), (1, "资金总额"), (3, "80")],
        &[(1, "其中：财政拨款"), (3, "80")],
        &[(0, "总体目标"), (1, "完成耕地保护任务。")],
    ];
    if tasks {
        rows.extend_from_slice(&[
            &[(0, "年度履职目标"), (1, "部门职能"), (2, "年度目标任务")],
            &[(1, "耕地保护"), (2, "完成年度任务")],
        ]);
    }
    rows.extend_from_slice(&[
        &[
            (0, "一级指标"),
            (1, "二级指标"),
            (2, "三级指标"),
            (3, "指标值"),
        ],
        &[
            (0, "产出指标"),
            (1, "数量指标"),
            (2, "补助县数"),
            (3, "5个"),
        ],
    ]);
    sheet(&rows)
}

#[test]
fn a_project_under_a_departments_name_is_read_with_a_project_profile() {
    let located = &locate_tables(&transfer_form(false), "a.xlsx")[0];
    let t = &located.table;
    assert_eq!(t.kind, TableKind::Project);
    assert_eq!(t.profile.kind, TableKind::Project, "{}", t.profile.id);
    assert_eq!(t.project.department, "某市农业农村局");
    assert_eq!(t.year, Some(2025));
    // Its 其中：财政拨款 is a project's fiscal line (the 部门整体 profile's general_budget),
    // the view and the cell keyed as the project profile keys them.
    let fiscal = &t.funding.lines[1];
    assert_eq!((fiscal.key.as_str(), fiscal.parent), ("fiscal", Some(0)));
    assert_eq!(
        t.funding
            .own
            .fiscal
            .map(|d| d.normalize().to_string())
            .as_deref(),
        Some("80")
    );
    assert!(
        t.cells.contains_key("funding.own.fiscal"),
        "{:?}",
        t.cells.keys()
    );
    assert!(!t.cells.contains_key("funding.general_budget"));
    let why = located
        .notices
        .iter()
        .find(|n| n.rule == "read.profile")
        .map(|n| n.message.clone())
        .unwrap_or_default();
    assert!(why.contains("按项目表的表样配置"), "{why}");
    // With its 年度履职目标 it stays a 部门整体 table, of the 部门整体 profile.
    let t = &locate_tables(&transfer_form(true), "b.xlsx")[0].table;
    assert_eq!(
        (t.kind, t.profile.kind),
        (TableKind::Department, TableKind::Department)
    );
    // A profile named by the user is kept whatever the table turns out to be.
    let profiles = Profiles::builtin();
    let department = profiles.get("department").expect("built in");
    let t = &super::locate_tables_with(
        &transfer_form(false),
        "c.xlsx",
        Some(&department),
        &profiles,
    )[0]
    .table;
    assert_eq!(
        (t.kind, t.profile.id.as_str()),
        (TableKind::Project, "department")
    );
}

/// A label left blank (项目属性) over a line naming an amount beside its number (`下达金额 |
/// 120` under a unit line): the line is a funding line of its own, not the label's value.
#[test]
fn a_blank_label_does_not_take_the_amount_line_below_as_its_value() {
    let s = sheet(&[
        &[(0, "某县2025年项目绩效目标表")],
        &[(0, "单位：万元")],
        &[(0, "项目名称"), (1, "乡村道路维护")],
        &[(0, "项目属性"), (2, "项目期")],
        &[(0, "下达金额"), (1, "120")],
        &[
            (0, "一级指标"),
            (1, "二级指标"),
            (2, "三级指标"),
            (3, "指标值"),
        ],
        &[
            (0, "产出指标"),
            (1, "数量指标"),
            (2, "维护里程"),
            (3, "30公里"),
        ],
    ]);
    let t = &locate_tables(&s, "a.xlsx")[0].table;
    assert_eq!(t.project.attribute, "");
    let line = t.funding.lines.iter().find(|l| l.label == "下达金额");
    assert_eq!(
        line.and_then(|l| l.amount)
            .map(|d| d.normalize().to_string())
            .as_deref(),
        Some("120"),
        "{:?}",
        t.funding.lines
    );
}
