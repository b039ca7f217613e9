//! The generated 部门整体 family (issue 19, "Values"): department-wide tables whose 年度履职目标
//! block is closed, or not, by a total row (`合计`, `小计`, `资金合计`), with a task whose project
//! is a funding word (`基本支出`), the budget block printed side by side, and the indicators of
//! `family.rs`. The truth comes from the generator: every table must read exactly (department,
//! money, goal, duties, tasks, indicators), its total row kept as the tasks' total (never a task,
//! never a funding line), and draw no error and no warning. Some are printed as a budget
//! system exports them (fuliang-2026): no title, short labels with colons and `*` markers
//! (`部门编码: | 316 | 部门名称: | 某局`, `*部门职能职责概述`, `*年度绩效总目标`) and the grid's
//! words (`计算符号 | 目标值 | 度量单位 | 指标值说明`), the value and its unit in cells of their own.
//!
//! `JIXIAO_DEPARTMENTS=N` generates N workbooks instead of the default;
//! `JIXIAO_FAMILY_DUMP=dir` writes the failing ones there to open.

use jixiao::model::IndicatorClass;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::common::{family_size, indicator_rows, Diffs, Tally};
use super::family::{generate, Ind, Rng};

/// Workbooks per run.
const WORKBOOKS: u64 = 60;

const FUNCTIONS: &[(&str, &str, &str)] = &[
    (
        "自然资源调查监测",
        "完成年度国土变更调查",
        "国土变更调查项目",
    ),
    (
        "国土空间规划",
        "完成乡镇国土空间规划编制",
        "乡镇国土空间规划编制项目",
    ),
    (
        "不动产登记",
        "一般登记办结时限压缩至3个工作日",
        "不动产登记平台运维项目",
    ),
    (
        "矿产资源管理",
        "完成矿山地质环境恢复治理巡查",
        "矿山巡查专项经费",
    ),
    ("机关运转", "保障机关正常运转", "基本支出"),
];

/// One task as printed: function, task, project, amount in 万元.
type Task = (&'static str, &'static str, &'static str, u32);

/// A generated department table and how it is printed.
struct Dept {
    year: i32,
    department: String,
    duties: String,
    /// The duties' heading: the listed wording, or one read by meaning (a heading that sums the
    /// duties up, `部门职责概述`).
    duties_label: &'static str,
    goal: String,
    basic: u32,
    tasks: Vec<Task>,
    /// The total row's label, when the block prints one.
    total: Option<&'static str>,
    /// The total's label across the function … project columns, or in the function column.
    total_merged: bool,
    indicators: Vec<Ind>,
    /// Printed as a budget system's export (see the module doc), with its department code and
    /// the wording of its duties' label.
    export: Option<(String, &'static str)>,
}

/// Labels of the duties a budget system's export prints (read by meaning).
const EXPORT_DUTIES: &[&str] = &["*部门职能职责概述", "部门职责概述", "*单位主要职责"];

fn generate_dept(seed: u64) -> Dept {
    let mut r = Rng::new(seed ^ 0xDE97);
    let project = generate(seed);
    let n = 2 + r.below(3);
    let start = r.below(FUNCTIONS.len());
    let tasks: Vec<Task> = (0..n)
        .map(|k| {
            let (f, t, p) = FUNCTIONS[(start + k) % FUNCTIONS.len()];
            (f, t, p, 5 + r.below(40) as u32)
        })
        .collect();
    // Costs are a project's: a department's is the control of its project spending.
    let mut indicators: Vec<Ind> = project
        .indicators
        .into_iter()
        .filter(|i| i.class != IndicatorClass::Cost)
        .collect();
    let spending: u32 = tasks.iter().map(|t| t.3).sum();
    let at = indicators
        .iter()
        .position(|i| i.level1 != "产出指标")
        .unwrap_or(indicators.len());
    indicators.insert(
        at,
        Ind {
            level1: "产出指标",
            level2: "成本指标",
            name: "部门项目支出预算控制数",
            nature: "≤",
            value: spending.to_string(),
            unit: "万元",
            class: IndicatorClass::Cost,
            weight: 0,
        },
    );
    Dept {
        year: project.year,
        department: project.department.clone(),
        duties: format!("负责{}职责范围内的各项工作。", project.department),
        duties_label: r.pick(&[
            "部门职责",
            "部门主要职责",
            "部门职责概述",
            "部门职能职责概述",
        ]),
        goal: format!("保障{}正常运转，完成年度重点工作任务。", project.department),
        basic: 50 + r.below(200) as u32,
        tasks,
        total: r
            .chance(60)
            .then(|| r.pick(&["合计", "小计", "资金合计", "合 计"])),
        total_merged: r.chance(50),
        indicators,
        export: r
            .chance(40)
            .then(|| (format!("{}", 100 + r.below(900)), r.pick(EXPORT_DUTIES))),
    }
}

impl Dept {
    /// The year's money: the basic spending and the projects', which the tasks' amounts are.
    fn project_spending(&self) -> u32 {
        self.tasks.iter().map(|t| t.3).sum()
    }

    fn annual(&self) -> u32 {
        self.basic + self.project_spending()
    }
}

fn render(d: &Dept) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("部门整体支出绩效目标表").expect("sheet name");
    draw(ws, d);
    for (c, w) in [14, 16, 14, 22, 22, 12].iter().enumerate() {
        ws.set_column_width(c as u16, *w).expect("width");
    }
    wb.save_to_buffer().expect("written")
}

fn draw(ws: &mut Worksheet, d: &Dept) {
    let f = Format::new().set_text_wrap();
    let full = |ws: &mut Worksheet, row: u32, text: &str| {
        ws.merge_range(row, 0, row, 5, text, &f).expect("merge");
    };
    let pair = |ws: &mut Worksheet, row: u32, label: &str, value: &str| {
        ws.write_string(row, 0, label).expect("write");
        ws.merge_range(row, 1, row, 5, value, &f).expect("merge");
    };
    if let Some((code, duties)) = &d.export {
        full(ws, 0, "部门整体绩效目标");
        full(ws, 1, &format!("（{}年度）", d.year));
        full(ws, 2, "单位：万元");
        ws.write_string(3, 0, "部门编码:").expect("write");
        ws.write_string(3, 1, code).expect("write");
        ws.write_string(3, 2, "部门名称:").expect("write");
        ws.merge_range(3, 3, 3, 5, &d.department, &f)
            .expect("merge");
        pair(ws, 4, duties, &d.duties);
    } else {
        full(ws, 0, "部门整体支出绩效目标表");
        full(ws, 1, &format!("（{}年度）", d.year));
        full(ws, 2, "单位：万元");
        pair(ws, 3, "部门（单位）名称", &d.department);
        pair(ws, 4, d.duties_label, &d.duties);
    }
    // The budget block: by use on the left, by source on the right.
    let (a, p) = (f64::from(d.annual()), f64::from(d.project_spending()));
    ws.merge_range(5, 0, 7, 0, "年度预算安排（万元）", &f)
        .expect("merge");
    for (r, l, n, rl, rn) in [
        (5, "资金总额", a, "其中：一般公共预算", a),
        (
            6,
            "其中：基本支出",
            f64::from(d.basic),
            "政府性基金预算",
            0.0,
        ),
        (7, "项目支出", p, "其他资金", 0.0),
    ] {
        ws.write_string(r, 1, l).expect("write");
        ws.write_number(r, 2, n).expect("write");
        ws.write_string(r, 3, rl).expect("write");
        ws.merge_range(r, 4, r, 5, "", &f).expect("merge");
        ws.write_number(r, 4, rn).expect("write");
    }
    let goal = if d.export.is_some() {
        "*年度绩效总目标"
    } else {
        "年度总体（绩效）目标"
    };
    pair(ws, 8, goal, &d.goal);
    // The 年度履职目标 block.
    let rows = d.tasks.len() as u32 + 1 + u32::from(d.total.is_some());
    let mut row = 9;
    ws.merge_range(row, 0, row + rows - 1, 0, "年度履职目标", &f)
        .expect("merge");
    ws.write_string(row, 1, "部门职能").expect("write");
    ws.merge_range(row, 2, row, 3, "年度目标任务", &f)
        .expect("merge");
    ws.write_string(row, 4, "支出项目名称").expect("write");
    ws.write_string(row, 5, "预算金额").expect("write");
    row += 1;
    for (func, task, project, amount) in &d.tasks {
        ws.write_string(row, 1, *func).expect("write");
        ws.merge_range(row, 2, row, 3, task, &f).expect("merge");
        ws.write_string(row, 4, *project).expect("write");
        ws.write_number(row, 5, f64::from(*amount)).expect("write");
        row += 1;
    }
    if let Some(total) = d.total {
        if d.total_merged {
            ws.merge_range(row, 1, row, 4, total, &f).expect("merge");
        } else {
            ws.write_string(row, 1, total).expect("write");
        }
        ws.write_number(row, 5, p).expect("write");
        row += 1;
    }
    if d.export.is_some() {
        draw_export_grid(ws, row, &d.indicators);
        return;
    }
    // The grid: 一级 | 二级 | 三级 (two columns) | 指标值, under its title down column A.
    let n = d.indicators.len() as u32;
    ws.merge_range(row, 0, row + n, 0, "年度绩效指标", &f)
        .expect("merge");
    ws.write_string(row, 1, "一级指标").expect("write");
    ws.write_string(row, 2, "二级指标").expect("write");
    ws.merge_range(row, 3, row, 4, "三级指标", &f)
        .expect("merge");
    ws.write_string(row, 5, "指标值").expect("write");
    row += 1;
    for (k, i) in d.indicators.iter().enumerate() {
        let r = row + k as u32;
        ws.write_string(r, 1, i.level1).expect("write");
        ws.write_string(r, 2, i.level2).expect("write");
        ws.merge_range(r, 3, r, 4, i.name, &f).expect("merge");
        ws.write_string(r, 5, i.raw()).expect("write");
    }
}

/// The grid as a budget system exports it: 一级 | 二级 | 三级 | 计算符号 | 目标值 | 度量单位 |
/// 指标值说明, the sign, the number and its unit each in a cell of its own.
fn draw_export_grid(ws: &mut Worksheet, row: u32, indicators: &[Ind]) {
    let headers = [
        "一级指标",
        "二级指标",
        "三级指标",
        "计算符号",
        "目标值",
        "度量单位",
        "指标值说明",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(row, c as u16, *h).expect("write");
    }
    for (k, i) in indicators.iter().enumerate() {
        let r = row + 1 + k as u32;
        ws.write_string(r, 0, i.level1).expect("write");
        ws.write_string(r, 1, i.level2).expect("write");
        ws.write_string(r, 2, i.name).expect("write");
        let sign = if i.nature == "＝" { "=" } else { i.nature };
        ws.write_string(r, 3, sign).expect("write");
        match i.value.parse::<f64>() {
            Ok(n) if i.nature != "定性" => ws.write_number(r, 4, n),
            _ => ws.write_string(r, 4, &i.value),
        }
        .expect("write");
        ws.write_string(r, 5, i.unit).expect("write");
        ws.write_string(r, 6, "该指标值数据合理").expect("write");
    }
}

fn differences(d: &Dept, t: &jixiao::Table) -> Vec<String> {
    let mut x = Diffs::default();
    x.same("year", t.year, Some(d.year));
    x.same("department", &t.project.department, &d.department);
    if let Some((code, _)) = &d.export {
        x.same(
            "department_code",
            t.project.department_code.as_deref(),
            Some(code.as_str()),
        );
        x.same(
            "explanations",
            t.indicators
                .iter()
                .filter(|i| {
                    i.extra.get("指标值说明").map(String::as_str) == Some("该指标值数据合理")
                })
                .count(),
            d.indicators.len(),
        );
    }
    x.same(
        "annual_total",
        t.funding.annual_total.map(|a| a.normalize()),
        Some(Decimal::from(d.annual())),
    );
    x.same("goal", &t.goal, &d.goal);
    let part = t.department.clone().unwrap_or_default();
    x.same("duties", &part.duties, &d.duties);
    let tasks: Vec<(String, String, String, Option<Decimal>)> = part
        .tasks
        .iter()
        .map(|k| {
            (
                k.function.clone(),
                k.task.clone(),
                k.project.clone(),
                k.amount.map(|a| a.normalize()),
            )
        })
        .collect();
    let want: Vec<(String, String, String, Option<Decimal>)> = d
        .tasks
        .iter()
        .map(|(f, t, p, a)| {
            (
                f.to_string(),
                t.to_string(),
                p.to_string(),
                Some(Decimal::from(*a)),
            )
        })
        .collect();
    x.same("tasks", tasks, want);
    // The total row: kept as the tasks' total, never a funding line.
    let total: Vec<(String, String)> = t
        .metadata
        .iter()
        .filter(|m| m.key == "tasks_total")
        .map(|m| (m.label.replace(' ', ""), m.value.clone()))
        .collect();
    let want_total: Vec<(String, String)> = d
        .total
        .map(|l| (l.replace(' ', ""), d.project_spending().to_string()))
        .into_iter()
        .collect();
    x.same("tasks_total", total, want_total);
    x.same("funding lines", t.funding.lines.len(), 6usize);
    let want: Vec<(String, String, String, String)> = d
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.to_string(),
                i.level2.to_string(),
                i.name.to_string(),
                i.raw(),
            )
        })
        .collect();
    x.same("indicators", indicator_rows(t), want);
    x.same(
        "indicator classes",
        t.indicators.iter().map(|i| i.class).collect::<Vec<_>>(),
        d.indicators
            .iter()
            .map(|i| i.class)
            .collect::<Vec<IndicatorClass>>(),
    );
    x.0
}

#[test]
fn generated_department_tables_read_exactly_without_false_alarms() {
    let n = family_size("JIXIAO_DEPARTMENTS", WORKBOOKS);
    let mut tally = Tally::default();
    for seed in 0..n {
        let d = generate_dept(seed);
        tally.judge(
            &format!("department-{seed}.xlsx"),
            &render(&d),
            &[d],
            true,
            differences,
        );
    }
    assert!(
        tally.failures.is_empty(),
        "{}:\n{}",
        tally.figures(),
        tally.failures.join("\n")
    );
}
