//! Read-back proof of the self-evaluation and monitoring forms: each written form sheet is read
//! again by the self-evaluation reader, in memory, before the workbook is kept, and compared
//! with the table it was written from (identity, goal, every funding line and its amounts, the
//! month, the budget's weight, every indicator with its levels, target, weight, actual and
//! reason, the total weight). Any difference is a [`Difference`] of the rule
//! [`crate::write::readback::RULE`], as for `convert` and `template`.

use rust_decimal::Decimal;

use crate::cell::CellRef;
use crate::model::{Figure, Table};
use crate::write::readback::Difference;

/// A form as written: its sheet and the table written there.
#[derive(Debug, Clone, Copy)]
pub struct Written<'a> {
    /// The form sheet's name.
    pub sheet: &'a str,
    /// The table written there (as given to [`super::prefill::form_of`]).
    pub table: &'a Table,
}

/// Reads the form sheets of `bytes` (an xlsx workbook) back and compares each with the table
/// written there. A sheet that cannot be read back, or reads as no table or as several, is a
/// difference too.
pub fn verify(bytes: &[u8], written: &[Written<'_>]) -> Vec<Difference> {
    crate::write::readback::reread_each(
        bytes,
        written.iter().map(|w| (w.sheet, w.table)),
        |i, got| compare(written[i].table, got),
    )
}

/// Collects the differences of one table.
struct Diffs(Vec<Difference>);

impl Diffs {
    fn same(
        &mut self,
        field: String,
        name: &str,
        want: String,
        got: String,
        cell: Option<CellRef>,
    ) {
        if want != got {
            self.0.push(Difference {
                table: 0,
                field,
                name: name.to_string(),
                cell,
                source_cell: None,
                written: want,
                read: got,
            });
        }
    }
}

fn fig(f: &Option<Figure>) -> String {
    f.as_ref()
        .and_then(|f| f.value)
        .map(|v| v.normalize().to_string())
        .unwrap_or_default()
}

fn dec(d: Option<Decimal>) -> String {
    d.map(|v| v.normalize().to_string()).unwrap_or_default()
}

/// The differences between `want` (the table written) and `got` (read back from its sheet).
/// Each difference's `table` is 0.
pub fn compare(want: &Table, got: &Table) -> Vec<Difference> {
    let mut d = Diffs(Vec::new());
    d.same(
        "form".into(),
        "表种",
        want.form.label().into(),
        got.form.label().into(),
        None,
    );
    d.same(
        "profile".into(),
        "表样配置",
        want.profile.id.clone(),
        got.profile.id.clone(),
        None,
    );
    let year = |t: &Table| t.year.map(|y| y.to_string()).unwrap_or_default();
    d.same("year".into(), "年度", year(want), year(got), None);
    for (path, name, get) in [
        (
            "project.name",
            "项目名称",
            (|t: &Table| t.project.name.clone()) as fn(&Table) -> String,
        ),
        ("project.department", "主管部门", |t| {
            t.project.department.clone()
        }),
        ("project.implementing_unit", "实施单位", |t| {
            t.project.implementing_unit.clone()
        }),
        ("goal", "预期目标", |t| t.goal.clone()),
        ("goal_actual", "实际完成情况", |t| {
            t.goal_actual.clone().unwrap_or_default()
        }),
    ] {
        d.same(path.into(), name, get(want), get(got), None);
    }
    let (we, ge) = (want.execution.as_ref(), got.execution.as_ref());
    let lines = |t: Option<&crate::model::Execution>| t.map_or(0, |e| e.lines.len());
    d.same(
        "execution.lines".into(),
        "资金行数",
        lines(we).to_string(),
        lines(ge).to_string(),
        None,
    );
    if let (Some(we), Some(ge)) = (we, ge) {
        d.same(
            "execution.month".into(),
            "监控月份",
            we.month.map(|m| m.to_string()).unwrap_or_default(),
            ge.month.map(|m| m.to_string()).unwrap_or_default(),
            None,
        );
        d.same(
            "execution.weight".into(),
            "预算执行分值",
            fig(&we.weight),
            fig(&ge.weight),
            ge.weight.as_ref().and_then(|f| f.cell),
        );
        for (k, (w, g)) in we.lines.iter().zip(&ge.lines).enumerate() {
            let field = |what: &str| format!("execution.lines[{k}].{what}");
            let name = |what: &str| format!("资金行“{}”的{what}", w.label);
            d.same(
                field("label"),
                &name("名称"),
                w.label.clone(),
                g.label.clone(),
                g.cell,
            );
            d.same(
                field("parent"),
                &name("上级行"),
                format!("{:?}", w.parent),
                format!("{:?}", g.parent),
                g.cell,
            );
            for (what, cn, a, b) in [
                ("initial", "年初预算数", &w.initial, &g.initial),
                ("adjusted", "全年预算数", &w.adjusted, &g.adjusted),
                ("executed", "执行数", &w.executed, &g.executed),
                ("forecast", "全年预计执行数", &w.forecast, &g.forecast),
            ] {
                let cell = b.as_ref().and_then(|f| f.cell).or(g.cell);
                d.same(field(what), &name(cn), fig(a), fig(b), cell);
            }
        }
    }
    d.same(
        "indicators".into(),
        "指标个数",
        want.indicators.len().to_string(),
        got.indicators.len().to_string(),
        None,
    );
    for (k, (w, g)) in want.indicators.iter().zip(&got.indicators).enumerate() {
        let field = |what: &str| format!("indicators[{k}].{what}");
        let name = |what: &str| format!("指标“{}”的{what}", w.name);
        let cell = g.name_cell.or(g.cell);
        for (what, cn, a, b) in [
            ("level1", "一级指标", &w.level1, &g.level1),
            ("level2", "二级指标", &w.level2, &g.level2),
            ("name", "三级指标", &w.name, &g.name),
            ("value", "年度指标值", &w.value.raw, &g.value.raw),
        ] {
            d.same(field(what), &name(cn), a.clone(), b.clone(), cell);
        }
        d.same(
            field("weight"),
            &name("分值"),
            dec(w.weight),
            dec(g.weight),
            g.result.weight_cell.or(cell),
        );
        let actual = |t: &crate::model::Indicator| {
            t.result
                .actual
                .as_ref()
                .map(|a| a.value.raw.trim().to_string())
                .unwrap_or_default()
        };
        d.same(
            field("actual"),
            &name("实际完成值"),
            actual(w),
            actual(g),
            cell,
        );
        let reason = |t: &crate::model::Indicator| {
            t.result
                .reason
                .as_ref()
                .map(|n| n.text.clone())
                .unwrap_or_default()
        };
        d.same(
            field("reason"),
            &name("偏差原因"),
            reason(w),
            reason(g),
            cell,
        );
    }
    let total = |t: &Table| t.total.as_ref().map(|x| fig(&x.weight)).unwrap_or_default();
    d.same(
        "total.weight".into(),
        "总分值",
        total(want),
        total(got),
        None,
    );
    d.0
}
