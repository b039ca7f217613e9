//! A 部门整体 table's 年度履职目标 block against its own total row.
//!
//! ```text
//!  | 部门职能 | 年度目标任务 | 支出项目名称 | 预算金额 |
//!  | 职能一   | 任务一       | 项目甲       | 171.41   |   ┐
//!  | 职能二   | 任务二       | 基本支出     | 274.59   |   ┘ Σ
//!  | 合计     |              |              | 446.00   |   = Σ (tasks_total)
//! ```
//!
//! The reader keeps the total row as the metadata field `tasks_total` (never a task nor a
//! funding line); a total row is the sum of the rows it closes, in task blocks as in funding
//! lines.

use rust_decimal::Decimal;

use super::{fmt_money, Ctx, Forms, Rule};
use crate::model::{Finding, Severity};
use crate::read::values::{parse_amount_text, MoneyUnit};

/// The 年度履职目标 total row against the sum of its tasks.
pub(crate) const TASKS_SUM: Rule = Rule {
    id: "funding.tasks-sum",
    name: "履职目标合计不符",
    severity: Severity::Error,
    checks: "部门整体表“年度履职目标”块的合计行等于其上各项任务的预算金额之和（同一列、同一单位；有任务金额无法读取时不核对）",
    forms: Forms::Targets,
    example: "年度履职目标的合计 446.00 万元，而 3 项任务的预算金额之和为 430.00 万元，相差 16.00 万元",
};

/// Checks the task block's total row, where the table prints one.
pub(crate) fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let t = ctx.table;
    let Some(total) = t.metadata.iter().find(|m| m.key == "tasks_total") else {
        return Vec::new();
    };
    let Some(part) = t.department.as_ref().filter(|p| !p.tasks.is_empty()) else {
        return Vec::new();
    };
    // A task whose amount could not be read leaves the sum unknown (the reader said so).
    if part
        .tasks
        .iter()
        .any(|task| task.amount.is_none() && !task.raw.trim().is_empty())
    {
        return Vec::new();
    }
    let Some(printed) = parse_amount_text(&total.value) else {
        return Vec::new();
    };
    // The total sits in the tasks' column, in their unit: the scale the reader applied to
    // them (元 → 万元) applies to it, unless it names its own unit.
    let value = match printed.unit {
        Some(unit) => unit.to_wan(printed.value),
        None => printed.value * scale_of_tasks(ctx).unwrap_or(Decimal::ONE),
    };
    let sum: Decimal = part.tasks.iter().filter_map(|task| task.amount).sum();
    if ctx.equal(value, sum) {
        return Vec::new();
    }
    let n = part
        .tasks
        .iter()
        .filter(|task| task.amount.is_some())
        .count();
    let label = if total.label.is_empty() {
        "合计"
    } else {
        total.label.as_str()
    };
    vec![ctx
        .finding(
            &TASKS_SUM,
            total.cell,
            format!(
                "年度履职目标的{label} {} 万元，而 {n} 项任务的预算金额之和为 {} 万元，相差 {} 万元",
                fmt_money(value),
                fmt_money(sum),
                fmt_money((value - sum).abs())
            ),
        )
        .field("department.tasks")
        .found_expected(fmt_money(value), fmt_money(sum))]
}

/// The factor from the tasks' printed amounts to 万元: the first task typed as a bare number
/// tells it (1 in a 万元 table, 0.0001 where the reader converted 元).
fn scale_of_tasks(ctx: &Ctx<'_>) -> Option<Decimal> {
    let part = ctx.table.department.as_ref()?;
    part.tasks.iter().find_map(|task| {
        let printed = parse_amount_text(&task.raw)?;
        let amount = task.amount?;
        if printed.unit.is_some() || printed.value.is_zero() {
            return None;
        }
        let scale = amount / printed.value;
        [
            Decimal::ONE,
            MoneyUnit::Yuan.to_wan(Decimal::ONE),
            MoneyUnit::Yi.to_wan(Decimal::ONE),
        ]
        .into_iter()
        .min_by_key(|s| (scale - s).abs())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testutil::*;
    use crate::model::{DepartmentPart, DutyTask, MetaField, TableKind};

    fn department(amounts: &[&str], total: &str) -> crate::model::Table {
        let mut t = table();
        t.kind = TableKind::Department;
        t.department = Some(DepartmentPart {
            duties: "负责全市某项工作".into(),
            tasks: amounts
                .iter()
                .map(|a| DutyTask {
                    function: "职能".into(),
                    task: "任务".into(),
                    project: "项目".into(),
                    amount: d(a),
                    raw: (*a).to_string(),
                    ..DutyTask::default()
                })
                .collect(),
        });
        t.metadata.push(MetaField {
            key: "tasks_total".into(),
            label: "合计".into(),
            value: total.into(),
            cell: Some(cell("E12")),
        });
        t
    }

    #[test]
    fn a_total_row_is_the_sum_of_its_tasks() {
        assert!(fired(&department(&["171.41", "274.59"], "446"), TASKS_SUM.id).is_empty());
        assert!(fired(
            &department(&["171.41", "274.59"], "446.00万元"),
            TASKS_SUM.id
        )
        .is_empty());
        let f = fired(&department(&["171.41", "258.59"], "446"), TASKS_SUM.id);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].cell, Some(cell("E12")));
        assert!(f[0].message.contains("446.00") && f[0].message.contains("430.00"));
        assert_eq!(f[0].severity, Severity::Error);
    }

    #[test]
    fn amounts_in_yuan_are_compared_in_yuan() {
        // The reader converted the tasks from 元; the total is printed in 元 too.
        let mut t = department(&["1714100", "2745900"], "4460000");
        for task in &mut t.department.as_mut().expect("a part").tasks {
            task.amount = task.amount.map(|a| a / Decimal::from(10_000));
        }
        assert!(fired(&t, TASKS_SUM.id).is_empty());
        t.metadata.last_mut().expect("the total").value = "4470000".into();
        assert_eq!(fired(&t, TASKS_SUM.id).len(), 1);
    }

    #[test]
    fn no_total_row_or_an_unreadable_task_is_not_checked() {
        let mut t = department(&["171.41", "274.59"], "500");
        t.metadata.clear();
        assert!(fired(&t, TASKS_SUM.id).is_empty());
        let mut t = department(&["171.41", "274.59"], "500");
        let task = &mut t.department.as_mut().expect("a part").tasks[0];
        task.amount = None;
        task.raw = "见附表".into();
        assert!(fired(&t, TASKS_SUM.id).is_empty());
    }
}
