//! Stage 3: the header fields (项目名称, 主管部门, …, 年度总体绩效目标), each read from the
//! next non-label cell to its right, inline (`项目名称：甲`), or from the row below.

use super::boxes;
use super::codes::{self, split_department_code, split_unit_code};
use super::funding::{label_unit, Funds};
use super::headings::Beside;
use super::label_shape::{
    ends_label, label_before_colon, looks_like_label, strip_numbering, unknown_inline_pair,
    words_only, LONG_LABEL_CHARS,
};
use super::lines::{
    amount_line_label, heads_amounts, is_amount, numbering_ordinal, numbering_rank,
};
use super::meta::{keep_as_metadata, read_meta, read_unknown_label, read_unknown_pair};
use super::tokens::Tok;
use super::Draft;
use crate::cell::CellRef;
use crate::model::{FundingScope, MetaField, Severity};
use crate::read::grid::CellValue;
use crate::read::labels::{normalize_label, LabelMatch};
use crate::read::values::{collapse_spaces, MoneyUnit};

/// The span of time an amount column covers, from its header.
fn column_scope(field: &str, label: &str) -> FundingScope {
    if field == "funding.annual_total" || label.contains("年度") || label.contains("本年") {
        FundingScope::Annual
    } else if field == "funding.total"
        || ["中期", "实施期", "总额"].iter().any(|w| label.contains(w))
    {
        FundingScope::MidTerm
    } else {
        FundingScope::Other
    }
}

/// The span of time a line's label names in brackets at its end (`财政拨款（中期）`,
/// `其他资金(实施期)`), if any.
fn bracket_scope(label: &str) -> Option<FundingScope> {
    let t = label.trim_end();
    let inner = t.strip_suffix(['）', ')'])?;
    let open = inner.rfind(['（', '('])?;
    let word = &inner[open..];
    ["中期", "实施期"]
        .iter()
        .any(|w| word.contains(w))
        .then_some(FundingScope::MidTerm)
}

/// The header stage: reads the rows above the grid (header fields, the funding block, tasks,
/// costs) until the grid's header row, where it ends as a [`HeaderPart`].
#[derive(Debug, Default)]
pub(super) struct HeaderStage {
    /// How many header fields got a value.
    pub(super) fields: usize,
    /// Labels whose value is expected in the row below.
    pub(super) pending_below: Vec<Pending>,
    /// The last header row read held a funding line.
    pub(super) funding_row: bool,
    /// A 本级 / 转移 group label was seen.
    saw_group: bool,
    /// The table's title was read.
    pub(super) saw_title: bool,
    /// The 年度履职目标 block, while it is being read: its columns once its header is met.
    pub(super) in_tasks: Option<Vec<(u32, &'static str)>>,
    /// A grid title seen (`长期绩效指标`): the key and label of the grid that follows; handed
    /// to the grid stage.
    pub(super) next_grid: Option<(String, String)>,
    /// Column-group headers seen (`（长期）`, `（年度）`): the grid header below is read as groups.
    pub(super) groups: Vec<super::groups::GroupHead>,
    /// The funding block.
    pub(super) funds: Funds,
    /// A goal read from the cell beside its label, which the next row may show was a second
    /// heading.
    beside: Option<Beside>,
    /// The column of the year's total when the block prints the project's total and the
    /// year's side by side, each with its lines below it (`项目资金总额 | 1500 | 年度资金申请总额 |
    /// 1500`): lines left of it are the project's span, lines from it on the year's.
    span_col: Option<u32>,
    /// The column of a year's total printed beside the project's: spans side by side when the
    /// row below breaks the year's total down in its own column (`其中:当年财政拨款`).
    span_candidate: Option<u32>,
    /// The goal (or 部门职责) just read, with its value's column: a row below holding only a
    /// text in that column continues it (the text printed over two rows beside a label merged
    /// down them).
    text_open: Option<(&'static str, u32)>,
    /// A row of headings no field answers to (`项目实施进度计划 | 项目实施内容 | 开始时间 |
    /// 完成时间`), waiting for the row below to say whether they head columns.
    pub(super) heads: Option<super::columns::Heads>,
    /// The last row of a group's name merged down beside its fields (`项目立项情况`).
    section_end: Option<u32>,
}

/// What the header stage hands on when the grid starts (or the table ends without one).
#[derive(Debug)]
pub(super) struct HeaderPart {
    /// How many header fields got a value (a table without a grid needs three).
    pub(super) fields: usize,
    /// The funding block, for the model's views of its amounts.
    pub(super) funds: Funds,
}

/// A label whose value is expected in the row below.
#[derive(Debug)]
pub(super) struct Pending {
    pub(super) field: &'static str,
    pub(super) col: u32,
    unit: Option<MoneyUnit>,
    label: String,
}

impl Pending {
    /// A label at column `col` waiting for its value below.
    pub(super) fn new(field: &'static str, col: u32, label: &str) -> Pending {
        Pending {
            field,
            col,
            unit: label_unit(label),
            label: label.to_string(),
        }
    }
}

impl HeaderStage {
    /// The stage's result: labels still waiting for a value become funding lines without an
    /// amount.
    pub(super) fn finish(mut self, d: &mut Draft<'_>) -> HeaderPart {
        if let Some(heads) = self.heads.take() {
            heads.flush(d, &mut self.funds, &[]);
        }
        let pending = std::mem::take(&mut self.pending_below);
        self.flush_pending(d, pending);
        HeaderPart {
            fields: self.fields,
            funds: self.funds,
        }
    }

    pub(super) fn read_header_row(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>]) {
        if self.read_year_heads(toks) {
            return;
        }
        self.end_money_cols(toks);
        if let Some(beside) = self.beside.take() {
            if self.read_below_heading(d, toks, beside) {
                return;
            }
        }
        if self.continue_text(d, toks) {
            return;
        }
        if let Some(mut heads) = self.heads.take() {
            if heads.read_row(d, &mut self.funds, toks) {
                self.heads = Some(heads);
                return;
            }
            heads.flush(d, &mut self.funds, toks);
        }
        // A group's name merged down beside a label and its value is no row of headings.
        let section = boxes::section_heading(d, toks, 0).is_some()
            && !super::lines::names_money(&toks[0].text);
        // Rows beside a group's name merged down are its fields, never funding lines.
        let row = toks[0].cell.row;
        let in_section = self.section_end.is_some_and(|end| row <= end);
        if self.in_tasks.is_none() && self.pending_below.is_empty() && !section {
            if let Some(heads) = super::columns::Heads::of(toks) {
                self.heads = Some(heads);
                return;
            }
        }
        let mut i = 0;
        let mut transfer_in_row = false;
        let mut group_label: Option<String> = None;
        // Labels left without a value on the previous row take theirs from this row, below
        // them (column-header style: `年度资金总额 | 财政拨款 | 上年结转资金` over the amounts).
        let pending = std::mem::take(&mut self.pending_below);
        // Under amount labels still without a value, a row that opens with a label of its own
        // (`其他 | 368.34`, `项目总体情况 | 根据…`) is a row of its own, not their values; so is
        // one whose label stands in their column (`地方资金 | (blank)` over `省级财政部门 |
        // 重庆市财政局`): words are no amount.
        let left = pending.iter().map(|p| p.col).min().unwrap_or(0);
        let bare_other = |t: &Tok<'_>| matches!(normalize_label(&t.text).as_str(), "其他" | "其它");
        let own_row = pending.iter().all(|p| p.field.starts_with("funding."))
            && toks.len() >= 2
            && looks_like_label(&toks[0])
            && (toks[0].cell.col <= left || bare_other(&toks[0]));
        // (Two funding labels or more over the amounts are span columns, read below.)
        let span_heads = pending
            .iter()
            .filter(|p| p.field.starts_with("funding.") && self.span_col.is_none())
            .count();
        let pending = if own_row && span_heads < 2 {
            self.drop_column_heads(d, pending, toks)
        } else {
            pending
        };
        // A row naming a code or a class (`财政资金科目代码 | 21305`) is its own label and value,
        // never the amounts of the labels above.
        let own_code = toks.iter().any(|t| codes::names_code(&t.text));
        // A label naming an amount, with it (`年底金额(万元) | 120`, `绩效金额 | 300` under a
        // unit line): a line, not the value of a label above left blank (项目属性).
        let own_line = toks.len() >= 2 && amount_line_label(d, &toks[0]) && is_amount(&toks[1]);
        if !pending.is_empty()
            && !own_row
            && !own_code
            && !own_line
            && toks.iter().all(|t| t.label.is_none() && !ends_label(t))
        {
            let mut used = false;
            for p in &pending {
                let hit = if pending.len() == 1 {
                    toks.iter().find(|t| t.cell.col >= p.col).or(toks.first())
                } else {
                    toks.iter().find(|t| t.cell.col == p.col)
                };
                // Words are no amount: a line's label below a line left blank
                // (`一般公共预算拨款 | (blank)` over `政府性基金预算拨款 | (blank)`).
                let hit = hit.filter(|t| {
                    !p.field.starts_with("funding.") || is_amount(t) || !looks_like_label(t)
                });
                if let Some(t) = hit {
                    self.fields += 1;
                    d.use_cell(t.cell);
                    self.set_field(d, p.field, &p.label, t.cell, &t.text, Some(t.value), p.unit);
                    used = true;
                }
            }
            if used {
                return;
            }
        }
        // Amount columns headed by labels on the row above (`中期资金总额 | 年度资金总额`), with
        // a line label leading each row below: each column is one span of time.
        // (Not in a block of two spans side by side: there labels left without an amount
        // are lines without one.)
        let funding_cols: Vec<&Pending> = pending
            .iter()
            .filter(|p| p.field.starts_with("funding.") && self.span_col.is_none())
            .collect();
        if funding_cols.len() >= 2 {
            self.funds.scope_cols = funding_cols
                .iter()
                .map(|p| (p.col, p.field, column_scope(p.field, &p.label)))
                .collect();
        }
        if !self.funds.scope_cols.is_empty() && self.read_scoped_row(d, toks) {
            return;
        }
        if self.funds.scope_cols.is_empty() {
            self.flush_pending(d, pending);
        }
        self.funds.scope_cols.clear();
        let funding_above = std::mem::take(&mut self.funding_row) && !in_section;
        // Several grid headers on the row: a grid's header row, not a labelled value.
        let is_grid_row = toks
            .iter()
            .filter(|t| t.field().is_some_and(|f| f.starts_with("grid.")))
            .count()
            > 1;
        if let Some(col) = self.span_candidate.take() {
            let breaks_down = toks.iter().any(|t| {
                t.cell.col >= col
                    && t.field().is_some_and(|f| f.starts_with("funding."))
                    && collapse_spaces(&t.text).starts_with("其中")
            });
            // Two totals side by side with no line below either (`中期市财政预算 | 284500 |
            // 本年度申请市财政预算资金 | 919`, then the goals): two spans, neither a part of the
            // other.
            let alone = !toks
                .iter()
                .any(|t| t.field().is_some_and(|f| f.starts_with("funding.")));
            if breaks_down {
                self.span_col = Some(col);
            }
            if breaks_down || alone {
                // The year's total read on the row above has no parent in the other span.
                let lines = &mut d.table.funding.lines;
                if let Some(l) = lines.iter_mut().rev().find(|l| l.key == "annual_total") {
                    l.parent = None;
                }
            }
        }
        self.span_candidate = side_by_side_spans(toks);
        while i < toks.len() {
            let t = &toks[i];
            // A bare `其他` (`其他:`) under funding lines is the 其他资金 line (elsewhere it is a
            // value), with its amount, or none when the form leaves it blank.
            if t.label.is_none()
                && funding_above
                && matches!(
                    normalize_label(&t.text).trim_end_matches([':', '：']),
                    "其他" | "其它"
                )
            {
                let next = toks.get(i + 1).filter(|n| n.label.is_none());
                d.use_cell(t.cell);
                self.fields += 1;
                let label = collapse_spaces(&t.text);
                match next {
                    Some(n) => {
                        d.use_cell(n.cell);
                        self.set_field(
                            d,
                            "funding.own.other",
                            &label,
                            n.cell,
                            &n.text,
                            Some(n.value),
                            None,
                        );
                    }
                    None => self.set_field(d, "funding.own.other", &label, t.cell, "", None, None),
                }
                self.funding_row = true;
                i += 1 + usize::from(next.is_some());
                continue;
            }
            // Under funding lines, a numbered label no field answers to and its amount
            // (`一、预算资金:250`, `(二)自有资金 | 0`): a line under its printed label. A
            // numbered 小计 (`(二)自有资金小计 | 0`) closes its own numbered parts below it,
            // never the block: a line too.
            let numbered_sum =
                t.field() == Some("funding.sum") && numbering_rank(&collapse_spaces(&t.text)) > 0;
            if (t.label.is_none() || numbered_sum) && funding_above {
                let took = match self.read_numbered_line(d, toks, i) {
                    0 if t.label.is_none() => self.read_part_line(d, toks, i),
                    took => took,
                };
                if took > 0 {
                    self.funding_row = true;
                    i += took;
                    continue;
                }
            }
            let Some((def, how)) = t.label.as_ref().map(|(d, h)| (*d, h)) else {
                // A label no field answers to (`项目审批 | 某文件`): kept as metadata under its
                // printed label, with the cell after it, and named in one notice.
                // A longer label may stand first on a row of just it and its value
                // (`单位已有的保证专项实施的制度、措施 | …`).
                let long_label = i == 0 && toks.len() == 2 && words_only(t, LONG_LABEL_CHARS);
                let preamble = self.read_preamble(d, t);
                if !preamble && self.in_tasks.is_none() && (looks_like_label(t) || long_label) {
                    let took = self.read_money_line(d, toks, i, self.saw_group);
                    let took = match took {
                        0 if i == 0 => self.read_blank_lines(d, toks),
                        took => took,
                    };
                    if took > 0 {
                        self.funding_row = true;
                        i += took;
                        continue;
                    }
                    // A group's name merged down beside its labels (`项目立项情况` over
                    // `项目立项的依据 | …`), a block of money aside: no label of its own, kept as
                    // printed, in `extra`.
                    if let Some(end) = boxes::section_heading(d, toks, i) {
                        self.section_end = Some(end);
                        self.funding_row = false;
                        i += 1;
                        continue;
                    }
                    // A label naming a class or a code takes the cell after it whatever that
                    // says (`财政资金预算分类 | 一般公共预算`: a class's name, not a funding line).
                    let code = codes::names_code(&t.text);
                    // A unit line beside it (`部门总体资金情况 | 单位:万元`) is no value: the
                    // label heads a block and stays as printed.
                    let value = |n: &&Tok<'_>| {
                        (n.label.is_none() || code) && !super::blocks::is_unit_line(&n.text)
                    };
                    if let Some(n) = toks.get(i + 1).filter(value) {
                        read_unknown_label(d, t, n);
                        i += 2;
                        continue;
                    }
                    // Alone on its row, in the labels' column of a header block already
                    // naming its project: a label the department left blank (`归口业务科室 |
                    // (empty)`), kept with an empty value: what the form printed is kept.
                    if toks.len() == 1 && in_label_column(d, t) {
                        read_unknown_pair(d, t.cell, &t.text, t.cell, "");
                        i += 1;
                        continue;
                    }
                    // Last on its row with a blank box after it, or a colon waiting for an
                    // amount under funding lines (`政府性基金预算拨款: | (blank)`): a line
                    // the form leaves without an amount, or a label left blank. In the
                    // table's first column, where the block's heading stands, only a label
                    // naming money is a line (`单位职能概述 | (blank)` is a label of its own).
                    let blank_box = i + 1 == toks.len() && boxes::blank_box_after(d, toks, t);
                    let colon = i + 1 == toks.len() && t.text.trim_end().ends_with([':', '：']);
                    let indented = d.min.is_some_and(|m| t.cell.col > m.col);
                    let line = indented || super::lines::names_money(&t.text);
                    // (The row of a group's name read just now is its first field's.)
                    let beside_section = self.section_end.is_some_and(|end| t.cell.row <= end);
                    if funding_above && line && !beside_section && (blank_box || colon) {
                        self.read_line_without_amount(d, t);
                        self.funding_row = true;
                        i += 1;
                        continue;
                    }
                    if blank_box {
                        read_unknown_pair(d, t.cell, &t.text, t.cell, "");
                        i += 1;
                        continue;
                    }
                }
                // A label no field answers to typed with its value in one cell
                // (`起始日期:2019年 1 月 1日`): kept as metadata under that label.
                if !preamble && self.in_tasks.is_none() {
                    if let Some((l, v)) = unknown_inline_pair(t) {
                        read_unknown_pair(d, t.cell, l, t.cell, v);
                        i += 1;
                        continue;
                    }
                }
                // Any other cell no stage understood goes to `extra` at the end.
                i += 1;
                continue;
            };
            let id = def.id.as_str();
            d.use_cell(t.cell);
            match id {
                "group.transfer" | "group.own" => {
                    // Lines grouped by 本级 / 转移, not by span.
                    self.span_col = None;
                    if id == "group.transfer" {
                        self.funds.transfer_col.get_or_insert(t.cell.col);
                        transfer_in_row = true;
                    }
                    group_label = Some(collapse_spaces(&t.text));
                    self.saw_group = true;
                    i += 1;
                    continue;
                }
                "group.funds" => {
                    self.funds.block_unit = label_unit(&t.text).or(self.funds.block_unit);
                    // Its value the label of its first line (`资金情况 | 下达金额(万元) | 50`).
                    let took = self.read_money_line(d, toks, i, self.saw_group);
                    self.funding_row |= took > 0;
                    i += took.max(1);
                    continue;
                }
                // Over a pair of goals it holds nothing; with a text beside it, it is the goal.
                "group.goal"
                    if toks.get(i + 1).is_none_or(|n| n.label.is_some())
                        || !d.table.goal.is_empty() =>
                {
                    i += 1;
                    continue;
                }
                "department.tasks" => {
                    self.in_tasks = Some(Vec::new());
                    i += 1;
                    continue;
                }
                _ if id.starts_with("grid.title.") => {
                    self.next_grid = Some((
                        id["grid.title.".len()..].to_string(),
                        collapse_spaces(&t.text),
                    ));
                    i += 1;
                    continue;
                }
                // A grid column's header above the grid with a value beside it (`年度预算执行率
                // | 100% | 分值 | 10分`): a labelled value, kept as metadata.
                _ if id.starts_with("grid.") => {
                    match toks
                        .get(i + 1)
                        .filter(|n| n.label.is_none() && !is_grid_row)
                    {
                        Some(n) => {
                            read_unknown_label(d, t, n);
                            i += 2;
                        }
                        None => i += 1,
                    }
                    continue;
                }
                // A metadata word before a field's label (`专项基本情况 | 专项名称 | …`) heads
                // the block of fields, a label merged down beside them: no field of its own.
                _ if id.starts_with("meta.")
                    && toks.get(i + 1).is_some_and(|n| {
                        n.cell != t.cell && n.field().is_some_and(|f| f.starts_with("project."))
                    }) =>
                {
                    i += 1;
                    continue;
                }
                _ if id.starts_with("meta.") => {
                    i += read_meta(d, toks, i);
                    continue;
                }
                _ => {}
            }
            let field: &'static str = match id {
                // A bare total beside the year's total, left of it: the project's total.
                "funding.sum"
                    if group_label.is_none()
                        && self.span_candidate.is_some_and(|c| t.cell.col < c) =>
                {
                    "funding.total"
                }
                // 资金总额 with no 本级 / 转移 split around it: the year's whole money.
                "funding.sum"
                    if group_label.is_none()
                        && !self.saw_group
                        && !d.table.cells.contains_key("funding.annual_total") =>
                {
                    "funding.annual_total"
                }
                "funding.sum" => {
                    let transfer =
                        transfer_in_row || self.funds.transfer_col.is_some_and(|c| t.cell.col >= c);
                    if transfer {
                        "funding.transfer.total"
                    } else {
                        "funding.own.total"
                    }
                }
                "group.goal" => "goal",
                // Labels are 'static (the profile's table), so are their ids.
                _ => def.id.as_str(),
            };
            // A unit typed with its value on a line above the header block (`预算单位:某局`
            // under the title) names whose budget the table is in, or who filed it: the
            // implementing unit only when its own words say so (`实施单位:`, `申报单位名称:`),
            // else kept as metadata under its label. In the header block (`预算单位 | 某中心`)
            // it is the project's unit when the form prints no other.
            if field == "project.implementing_unit"
                && self.fields == 0
                && t.inline_value.is_some()
                && !d.profile.labels().says(field, &label_before_colon(t))
            {
                d.use_cell(t.cell);
                d.table.metadata.push(MetaField {
                    key: String::new(),
                    label: label_before_colon(t),
                    value: t
                        .inline_value
                        .as_deref()
                        .map(collapse_spaces)
                        .unwrap_or_default(),
                    cell: Some(t.cell),
                });
                i += 1;
                continue;
            }
            if *how != LabelMatch::Exact
                && !d.profile.is_own_wording(field, &normalize_label(&t.text))
            {
                let kind = match how {
                    LabelMatch::Truncated => "不完整的标签",
                    LabelMatch::Meaning => "按含义识别的标签",
                    _ => "同义标签",
                };
                d.notice(
                    "read.alias",
                    Severity::Info,
                    Some(t.cell),
                    Some(field.to_string()),
                    format!(
                        "{kind}“{}”按“{}”读取",
                        collapse_spaces(&t.text),
                        d.profile.wording.get(field).unwrap_or(&def.label)
                    ),
                );
            }
            // Another template's wording (项目类别 beside 项目属性) never overrides the
            // official label's value: it is kept as metadata under its own label.
            let taken = d
                .table
                .cells
                .get(field)
                .is_some_and(|f| !f.raw.trim().is_empty());
            // A regional table prints one department per level of government (`中央主管部门`,
            // `省级主管部门`, `区县主管部门`): the table is the lowest level's, which holds the
            // field; the levels above it are kept as metadata.
            let lower_tier = taken && field == "project.department" && {
                let labels = d.profile.labels();
                let held = d.table.cells.get(field).and_then(|f| labels.tier(&f.label));
                matches!((held, labels.tier(&t.text)), (Some(a), Some(b)) if b > a)
            };
            if *how != LabelMatch::Exact && taken && !lower_tier && !field.starts_with("funding.") {
                i += read_meta(d, toks, i);
                continue;
            }
            // The official label after another wording took the field (`预算单位` above
            // `实施单位`): the official one holds the field, the other stays as metadata.
            let other_label = d
                .table
                .cells
                .get(field)
                .is_some_and(|f| normalize_label(&f.label) != normalize_label(&t.text));
            if taken && other_label && !field.starts_with("funding.") {
                keep_as_metadata(d, field);
            }
            let unit = label_unit(&t.text);
            // The printed label: a group's (`其中：本级资金 | 资金总额 | 45`) or its own.
            let label = match (id, &group_label) {
                ("funding.sum", Some(g)) => g.clone(),
                // A label with its value in one cell (`年度资金总额:50万`): the part before the
                // colon.
                _ => match (&t.inline_value, t.text.find(['：', ':'])) {
                    (Some(_), Some(at)) => collapse_spaces(&t.text[..at]),
                    _ => collapse_spaces(&t.text),
                },
            };
            let took = self.read_money_heads(d, toks, i, field, &label);
            if took > 0 {
                i += took;
                continue;
            }
            // A funding label whose only cell beside it names a money unit (`年度资金总额 |
            // 金额(万元)`): a heading over the column of amounts below, no line of its own.
            if field.starts_with("funding.") && t.inline_value.is_none() && i + 2 == toks.len() {
                let n = &toks[i + 1];
                if n.label.is_none() && n.cell != t.cell && heads_amounts(n) {
                    // The column's heading stays as printed, in `extra`.
                    self.funds.block_unit = label_unit(&n.text).or(self.funds.block_unit);
                    self.funding_row = true;
                    i += 2;
                    continue;
                }
            }
            // The value: inline (`项目名称：甲`) or the next non-label cell to the right.
            // Only the word joining a span's two ends beside it (`项目起止时间 | | 到 | `): the
            // field is blank; the word stays as printed, in `extra`.
            let joins = toks
                .get(i + 1)
                .is_some_and(|n| n.label.is_none() && boxes::is_joining_word(d, t, n));
            if joins && t.inline_value.is_none() && !field.starts_with("funding.") {
                d.await_value(field, t.cell, &label);
                i += 2;
                continue;
            }
            let (cell, text, value) = if let Some(v) = &t.inline_value {
                (t.cell, v.clone(), None)
            } else {
                // A cell stating the table's unit (`项目单位(盖章): | 单位:万元`) is never a
                // field's value.
                match toks.get(i + 1) {
                    Some(next)
                        if next.label.is_none()
                            && next.cell != t.cell
                            && !super::blocks::is_unit_line(&next.text) =>
                    {
                        i += 1;
                        d.use_cell(next.cell);
                        self.beside = Beside::of(field, &label, t, next);
                        (next.cell, next.text.clone(), Some(next.value))
                    }
                    _ => {
                        // Empty so far: point at the label until a value turns up below it.
                        d.await_value(field, t.cell, &label);
                        if field.starts_with("funding.") {
                            self.funding_row = true;
                        }
                        self.pending_below.push(Pending {
                            field,
                            col: t.cell.col,
                            unit,
                            label,
                        });
                        i += 1;
                        continue;
                    }
                }
            };
            self.fields += 1;
            if field.starts_with("funding.") {
                self.funding_row = true;
            }
            self.set_field(d, field, &label, cell, &text, value, unit);
            // A numbered line a field answers to (`(1)一般公共预算`) nests by its numbering too.
            if field.starts_with("funding.") {
                let rank = numbering_rank(&label);
                let lines = &mut d.table.funding.lines;
                let last = lines.len().saturating_sub(1);
                if rank > 0 && lines.get(last).is_some_and(|l| l.parent.is_none()) {
                    lines[last].parent = lines[..last]
                        .iter()
                        .rposition(|l| {
                            numbering_rank(&l.label) < rank && l.scope == lines[last].scope
                        })
                        .filter(|p| numbering_rank(&lines[*p].label) > 0);
                }
            }
            // More amounts to the right of one line label (`资金总额 | 300 | 100`) with no
            // column headers above them: kept as lines of another span, never dropped.
            // A label no field answers to (`财政资金科目代码 | 21305`) ends them.
            while field.starts_with("funding.")
                && toks.get(i + 1).is_some_and(|n| {
                    n.label.is_none() && !looks_like_label(n) && !codes::looks_like_code(n)
                })
                && t.inline_value.is_none()
            {
                i += 1;
                let n = &toks[i];
                // A share of the total (`占比`) is no money: kept as printed, in `extra`.
                if self.funds.is_share_col(n.cell.col) {
                    continue;
                }
                d.use_cell(n.cell);
                self.funds.add_line(
                    d,
                    field,
                    &label,
                    n.cell,
                    &n.text,
                    Some(n.value),
                    unit,
                    FundingScope::Other,
                    false,
                );
            }
            i += 1;
        }
    }

    /// A row continuing the goal read on the row above (see [`HeaderStage::text_open`]); false
    /// when the row is not one.
    fn continue_text(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>]) -> bool {
        let Some((field, col)) = self.text_open.take() else {
            return false;
        };
        let [t] = toks else {
            return false;
        };
        let text_cell = matches!(t.value, CellValue::Text(_)) && t.inline_value.is_none();
        if t.label.is_some() || t.cell.col != col || !text_cell || looks_like_label(t) {
            return false;
        }
        if !self.pending_below.is_empty() {
            return false;
        }
        d.use_cell(t.cell);
        d.extend(t.cell);
        let more = d.clean_text(field, t.cell, &t.text);
        let target = match field {
            "goal" => &mut d.table.goal,
            "long_term_goal" => &mut d.table.long_term_goal,
            _ => {
                &mut d
                    .table
                    .department
                    .get_or_insert_with(Default::default)
                    .duties
            }
        };
        target.push_str(&more);
        self.text_open = Some((field, col));
        true
    }

    /// A numbered label no field answers to with its amount, in one cell or in the cell after
    /// it (`一、预算资金:250`, `(二)自有资金 | 0`): a funding line under that label, a part of
    /// the nearest line above it that is not numbered, in that line's span. Returns how many
    /// cells it took (none when `toks[i]` is not one).
    fn read_numbered_line(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>], i: usize) -> usize {
        let t = &toks[i];
        let CellValue::Text(text) = t.value else {
            return 0;
        };
        let (label, amount, took) = match text.find([':', '：']) {
            Some(at) => {
                let (label, rest) = text.split_at(at);
                let rest = rest.trim_start_matches([':', '：']).trim();
                (label, (t.cell, rest.to_string(), None), 1)
            }
            None => match toks
                .get(i + 1)
                .filter(|n| n.label.is_none() && n.cell != t.cell)
            {
                Some(n) => (text.as_str(), (n.cell, n.text.clone(), Some(n.value)), 2),
                None => return 0,
            },
        };
        let label = collapse_spaces(label);
        let bare = strip_numbering(&label);
        let words = bare.chars().count() >= 2
            && bare
                .chars()
                .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || "()（）、".contains(c));
        let number = matches!(amount.2, Some(CellValue::Number(_)))
            || crate::read::values::parse_amount_text(&amount.1).is_some();
        if !words || !number || bare.len() == label.len() {
            return 0;
        }
        // Its parent: the nearest line above numbered one level out (`(一)财政拨款小计` over
        // `1、一般公共预算`), or not numbered.
        let lines = &d.table.funding.lines;
        let rank = numbering_rank(&label);
        let mut parent = lines.iter().rposition(|l| numbering_rank(&l.label) < rank);
        // A list whose first item is printed without its number (`财政拨款:…` over `二、自有
        // 资金:0`, `三、其他:…`): the line above a second or later item, not numbered and itself
        // a part, is that first item, so they share a parent; later items share it too.
        if let Some(p) = parent {
            let sibling = lines[p + 1..]
                .iter()
                .rfind(|l| numbering_rank(&l.label) == rank);
            parent = match sibling {
                Some(s) => s.parent,
                None if numbering_ordinal(&label) > 1 && lines[p].parent.is_some() => {
                    lines[p].parent
                }
                None => parent,
            };
        }
        let scope = parent.map(|p| lines[p].scope).unwrap_or_default();
        d.use_cell(t.cell);
        d.use_cell(amount.0);
        d.extend(amount.0);
        self.fields += 1;
        let index = d.table.funding.lines.len();
        self.funds.add_line(
            d,
            "funding.line",
            &label,
            amount.0,
            &amount.1,
            amount.2,
            None,
            scope,
            false,
        );
        if let Some(l) = d.table.funding.lines.get_mut(index) {
            l.parent = parent;
        }
        took
    }

    /// The span of a line at `col` in a block of two spans side by side (none elsewhere).
    fn span_scope(&self, col: u32) -> Option<FundingScope> {
        self.span_col.map(|c| {
            if col >= c {
                FundingScope::Annual
            } else {
                FundingScope::MidTerm
            }
        })
    }

    /// Ends a block of two spans side by side at a row without funding lines.
    pub(super) fn end_spans(&mut self) {
        let waiting = self
            .pending_below
            .iter()
            .any(|p| p.field.starts_with("funding."));
        if !self.funding_row && !waiting {
            self.span_col = None;
        }
    }

    /// Funding labels whose amount never came: lines without an amount, at the label's cell.
    pub(super) fn flush_pending(&mut self, d: &mut Draft<'_>, pending: Vec<Pending>) {
        for p in pending {
            if !p.field.starts_with("funding.") {
                continue;
            }
            let Some(cell) = d.table.cells.get(p.field).map(|f| f.cell) else {
                continue;
            };
            let scope = self.span_scope(p.col).unwrap_or_else(|| {
                d.profile
                    .funding_by_field(p.field)
                    .and_then(|f| f.scope)
                    .unwrap_or_default()
            });
            self.funds
                .add_line(d, p.field, &p.label, cell, "", None, p.unit, scope, false);
        }
    }

    /// A row under amount-column headers: `资金总额 | 300 | 100`. False when the row is not one.
    fn read_scoped_row(&mut self, d: &mut Draft<'_>, toks: &[Tok<'_>]) -> bool {
        let Some(first) = toks.first() else {
            return false;
        };
        if !first.field().is_some_and(|f| f.starts_with("funding.")) {
            return false;
        }
        let id: &'static str = match first.label.as_ref() {
            Some((d, _)) => d.id.as_str(),
            None => return false,
        };
        let cols = self.funds.scope_cols.clone();
        let values: Vec<&Tok<'_>> = toks[1..]
            .iter()
            .filter(|t| t.label.is_none() && cols.iter().any(|(c, _, _)| *c == t.cell.col))
            .collect();
        if values.is_empty() {
            return false;
        }
        d.use_cell(first.cell);
        let label = collapse_spaces(&first.text);
        for v in values {
            let Some((_, head, scope)) = cols.iter().find(|(c, _, _)| *c == v.cell.col) else {
                continue;
            };
            // The 资金总额 row is each column's total.
            let field: &'static str = if matches!(id, "funding.sum" | "funding.own.total") {
                head
            } else {
                id
            };
            d.use_cell(v.cell);
            self.fields += 1;
            let annual = *scope == FundingScope::Annual;
            if annual || field == "funding.total" {
                d.record(field, v.cell, &v.text);
            }
            self.funds.add_line(
                d,
                field,
                &label,
                v.cell,
                &v.text,
                Some(v.value),
                None,
                *scope,
                annual || field == "funding.total",
            );
        }
        true
    }
}

/// The column of the year's total, when a row prints the project's total and the year's side
/// by side, each label with its amount right of it (`项目资金总额 | 1500 | 年度资金申请总额 |
/// 1500`).
fn side_by_side_spans(toks: &[Tok<'_>]) -> Option<u32> {
    let with_amount = |field: &str| {
        toks.iter().enumerate().find_map(|(k, t)| {
            (t.field() == Some(field) && t.inline_value.is_none())
                .then(|| toks.get(k + 1))
                .flatten()
                .filter(|n| n.label.is_none())
                .map(|_| t.cell.col)
        })
    };
    let annual = with_amount("funding.annual_total")?;
    // A bare total left of the year's (`资金总额 | 10000 | 当年资金总额 | 10000`) is the
    // project's.
    let total = with_amount("funding.total")
        .or_else(|| with_amount("funding.sum").filter(|&c| c < annual))?;
    // `项目总额 | 45 | 其中：年度资金总额 | 45` prints the year's money as a part of the
    // project's, with one block of lines below for both.
    let part = toks.iter().any(|t| {
        t.field() == Some("funding.annual_total") && collapse_spaces(&t.text).starts_with("其中")
    });
    (annual > total && !part).then_some(annual)
}

impl HeaderStage {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn set_field(
        &mut self,
        d: &mut Draft<'_>,
        field: &'static str,
        label: &str,
        cell: CellRef,
        raw: &str,
        value: Option<&CellValue>,
        unit: Option<MoneyUnit>,
    ) {
        d.extend(cell);
        if field.starts_with("funding.") {
            // Side by side spans: the line's column says its span, and its parent is looked
            // for in that span only.
            let span = self.span_scope(cell.col);
            let (scope, view) = match span {
                Some(scope) => (scope, false),
                None => {
                    let scope = d.profile.funding_by_field(field).and_then(|f| f.scope);
                    (scope.unwrap_or_default(), true)
                }
            };
            // A line whose label names its span in brackets (`其中：财政拨款（中期）`) is of
            // that span, whatever the field's own; it is not the field's annual cell.
            let scope = match bracket_scope(label) {
                Some(s) if span.is_none() && field != "funding.total" => s,
                _ => scope,
            };
            if span.is_some() || scope != FundingScope::MidTerm || field == "funding.total" {
                d.record(field, cell, raw);
                d.label_field(field, label);
            } else {
                d.use_cell(cell);
            }
            self.funds
                .add_line(d, field, label, cell, raw, value, unit, scope, view);
            return;
        }
        if field == "goal" || field == "long_term_goal" || field == "department.duties" {
            self.text_open = Some((field, cell.col));
            let text = d.clean_text(field, cell, raw);
            d.record(field, cell, raw);
            d.label_field(field, label);
            match field {
                "goal" => d.table.goal = text,
                "long_term_goal" => d.table.long_term_goal = text,
                _ => {
                    d.table
                        .department
                        .get_or_insert_with(Default::default)
                        .duties = text
                }
            }
            return;
        }
        let text = d.clean_text(field, cell, raw);
        // A choice printed as boxes (`新增项目□ 延续项目R`): the ticked option; the raw text
        // stays in the field's source.
        let text = super::checkbox::ticked(&text).unwrap_or(text);
        d.record(field, cell, raw);
        d.label_field(field, label);
        let p = &mut d.table.project;
        match field {
            "project.name" => {
                // A code before the name (`2026-001 某项目`) only with a separator.
                let (code, name) = split_department_code(&text);
                match code {
                    Some(c) if c.chars().count() >= 3 => {
                        p.code = Some(c);
                        p.name = name;
                    }
                    _ => p.name = text,
                }
            }
            "project.department" => {
                let (code, name) = split_unit_code(&text);
                if let Some(code) = code {
                    p.department_code = Some(code);
                    p.department = name;
                } else {
                    p.department = text;
                }
            }
            "project.implementing_unit" => {
                let (code, name) = split_unit_code(&text);
                p.implementing_unit_code = code;
                p.implementing_unit = name;
            }
            "project.department_code" => p.department_code = Some(text),
            "project.category" => p.category = text,
            "project.attribute" => p.attribute = text,
            "project.period" => p.period = text,
            _ => {}
        }
    }
}

/// True when a cell stands left of the project name's value in a header block that has read
/// it: in the column of the block's labels, not in a title or preamble row above it, and not
/// merged across the table as a heading is.
fn in_label_column(d: &Draft<'_>, t: &Tok<'_>) -> bool {
    // A cell merged across the table is a heading (`绩效项目指标表` over the grid).
    !d.wide.contains(&t.cell)
        && d.table.cells.get("project.name").is_some_and(|f| {
            !f.raw.trim().is_empty() && t.cell.col < f.cell.col && t.cell.row > f.cell.row
        })
}
