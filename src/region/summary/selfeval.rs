//! The 自评结果 sheet of the summary: one row per self-evaluation or monitoring table — its
//! project, form, 执行率, budget score, total and grade as printed and as the profile's scoring
//! computes them, and its findings — so that a finance office sees a folder of self-evaluations
//! at a glance. Written only when the folder holds such tables.
//!
//! ```text
//!  | 序号 | 部门 | 项目 | 表种 | 执行率(%) | 预算得分 | 自评总分 | 重算总分 | 自评等级 | 重算等级 | 错误 | 警告 | 文件 |
//! ```

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Table as XlTable, TableColumn, Worksheet, XlsxError};

use super::book::{
    cell_text, count_format, fit_row, head_format, money_format, print_setup, text_format, to_f64,
};
use super::{Summary, TableRow};
use crate::model::{FormKind, Table};

/// Sheet name.
pub(crate) const SHEET_RESULTS: &str = "自评结果";

/// What a self-evaluation or monitoring table adds to its summary row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// Which form.
    pub form: FormKind,
    /// The total line's 执行率 as printed, in percent.
    pub rate: Option<Decimal>,
    /// The budget's score as printed.
    pub budget_score: Option<Decimal>,
    /// 总分 as printed.
    pub total: Option<Decimal>,
    /// 总分 as the profile's scoring gives it.
    pub total_computed: Option<Decimal>,
    /// The grade as printed.
    pub grade: Option<String>,
    /// The grade as computed.
    pub grade_computed: Option<String>,
}

impl Results {
    /// The results of a table, `None` for a targets table.
    pub fn of(t: &Table) -> Option<Results> {
        if t.form.is_targets() {
            return None;
        }
        let fig = |f: &Option<crate::model::Figure>| f.as_ref().and_then(|f| f.value);
        let ex = t.execution.as_ref();
        let total = t.total.as_ref();
        Some(Results {
            form: t.form,
            rate: ex.and_then(|e| e.total_line()).and_then(|l| fig(&l.rate)),
            budget_score: ex.and_then(|e| fig(&e.score)),
            total: total.and_then(|x| fig(&x.score)),
            total_computed: total.and_then(|x| x.score_computed),
            grade: total.and_then(|x| x.grade.as_ref()).map(|g| g.text.clone()),
            grade_computed: total.and_then(|x| x.grade_computed.clone()),
        })
    }
}

const HEAD: &[(&str, f64)] = &[
    ("序号", 6.0),
    ("部门", 24.0),
    ("项目", 30.0),
    ("表种", 14.0),
    ("执行率(%)", 10.0),
    ("预算得分", 9.0),
    ("自评总分", 9.0),
    ("重算总分", 9.0),
    ("自评等级", 9.0),
    ("重算等级", 9.0),
    ("错误", 7.0),
    ("警告", 7.0),
    ("文件", 30.0),
];

impl Summary {
    /// True when some table read is a self-evaluation or monitoring table.
    pub(super) fn has_results(&self) -> bool {
        self.rows.iter().any(|r| r.results.is_some())
    }

    /// Writes the 自评结果 sheet.
    pub(super) fn write_results(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        // The copies of a project set aside as older are not listed (they count nowhere).
        let rows: Vec<(&TableRow, &Results)> = self
            .counted()
            .filter_map(|r| r.results.as_ref().map(|x| (r, x)))
            .collect();
        let money = money_format();
        let count = count_format();
        for (i, (row, x)) in rows.iter().enumerate() {
            let r = 1 + i as u32;
            ws.write_number(r, 0, (i + 1) as f64)?;
            ws.write_string(r, 1, cell_text(&row.department))?;
            ws.write_string(r, 2, cell_text(&row.project))?;
            ws.write_string(r, 3, x.form.label())?;
            let numbers = [x.rate, x.budget_score, x.total, x.total_computed];
            for (c, v) in (4u16..).zip(numbers) {
                if let Some(v) = v {
                    ws.write_number_with_format(r, c, to_f64(v), &money)?;
                }
            }
            for (c, g) in [(8u16, &x.grade), (9, &x.grade_computed)] {
                if let Some(g) = g {
                    ws.write_string(r, c, cell_text(g))?;
                }
            }
            ws.write_number(r, 10, row.counts.error as f64)?;
            ws.write_number(r, 11, row.counts.warning as f64)?;
            ws.write_string(r, 12, cell_text(&row.file))?;
            fit_row(
                ws,
                r,
                [
                    (row.project.as_str(), HEAD[2].1),
                    (row.file.as_str(), HEAD[12].1),
                ],
            )?;
        }
        let columns: Vec<TableColumn> = HEAD
            .iter()
            .enumerate()
            .map(|(c, (h, _))| {
                let col = TableColumn::new()
                    .set_header_format(head_format())
                    .set_header(*h);
                match c {
                    0 | 10 | 11 => col.set_format(count.clone()),
                    4..=7 => col.set_format(money.clone()),
                    _ => col.set_format(text_format()),
                }
            })
            .collect();
        let table = XlTable::new().set_name("自评结果").set_columns(&columns);
        ws.add_table(
            0,
            0,
            rows.len().max(1) as u32,
            (HEAD.len() - 1) as u16,
            &table,
        )?;
        for (c, (_, w)) in HEAD.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_tab_color(Color::RGB(0x548235));
        ws.set_freeze_panes(1, 3)?;
        print_setup(ws, 0)
    }
}
