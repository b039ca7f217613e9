//! The generated family (issue 19): project tables that recombine, at random from a fixed seed,
//! the titles, header wordings, funding blocks, goal labels, grid shapes and level wordings of
//! published forms (the corpus in tests/fixtures/corpus/, the fixtures), each with its truth
//! from the generator. Every one must read exactly (header, money, goal, every indicator's
//! levels, name, value and class) and, being correct, draw no error and no warning.
//!
//! The values of published forms vary too (issue 19, "Values"): amounts typed as text (`16万`,
//! `16万16万(…)`), a code or class beside or under the money (`财政资金科目代码 | 21305`), the amount
//! after its fund's name, the project's and the year's money side by side, lines closed by their
//! total (`合计`), a goal continued on the next row, review rows under the grid, dates typed as
//! date cells and a unit column repeating a value (`2023.07 | 2023.07`, a date beside its serial).
//!
//! The workbooks are written with rust_xlsxwriter directly (not jixiao's writer), in memory.
//! `JIXIAO_FAMILY=N` generates N tables instead of the default; a failure names the seed, and
//! `JIXIAO_FAMILY_DUMP=dir` writes the failing workbooks there to open.

use jixiao::model::IndicatorClass;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::common::{family_size, Tally};

/// Tables per run.
const TABLES: u64 = 100;

/// xorshift64*: a small generator, the same on every machine.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(super) fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// One indicator as the generator writes it.
#[derive(Debug, Clone)]
pub(super) struct Ind {
    pub(super) level1: &'static str,
    pub(super) level2: &'static str,
    pub(super) name: &'static str,
    /// `≥`, `≤`, `＝` or `定性`.
    pub(super) nature: &'static str,
    pub(super) value: String,
    pub(super) unit: &'static str,
    pub(super) class: IndicatorClass,
    pub(super) weight: u32,
}

impl Ind {
    /// The value as one cell prints it (`≥500人次`, `2026年12月底前`).
    pub(super) fn raw(&self) -> String {
        match self.nature {
            "定性" => self.value.clone(),
            "＝" => format!("{}{}", self.value, self.unit),
            c => format!("{c}{}{}", self.value, self.unit),
        }
    }
}

/// A generated table and its truth.
#[derive(Debug)]
pub(super) struct Spec {
    pub(super) year: i32,
    pub(super) name: String,
    pub(super) department: String,
    pub(super) implementing_unit: String,
    pub(super) attribute: Option<&'static str>,
    pub(super) annual: u32,
    pub(super) goal: String,
    /// The goal of the whole implementation period, where a shape prints one.
    pub(super) long_term_goal: String,
    pub(super) indicators: Vec<Ind>,
}

/// Indicators a table may draw for each 二级 (the framework's class, with the form's wordings
/// of the level), taken from published tables: (name, nature, value, unit).
type Pool = (
    &'static str,
    &'static [&'static str],
    IndicatorClass,
    &'static [(&'static str, &'static str, &'static str, &'static str)],
);

const OUTPUT: &[Pool] = &[
    (
        "数量指标",
        &["数量指标"],
        IndicatorClass::Quantity,
        &[
            ("培训人次", "≥", "500", "人次"),
            ("新建监测站点", "＝", "6", "个"),
            ("印发宣传资料", "≥", "2000", "份"),
            ("完成改造户数", "≥", "120", "户"),
            ("资助学生人数", "≥", "101", "人"),
        ],
    ),
    (
        "质量指标",
        &["质量指标"],
        IndicatorClass::Quality,
        &[
            ("工程验收合格率", "≥", "95", "%"),
            ("培训考核合格率", "≥", "90", "%"),
            ("设备完好率", "≥", "98", "%"),
        ],
    ),
    (
        "时效指标",
        &["时效指标"],
        IndicatorClass::Timeliness,
        &[
            ("项目完成时间", "定性", "{Y}年12月底前", ""),
            ("资金拨付及时率", "≥", "95", "%"),
            ("任务按期完成率", "＝", "100", "%"),
            ("巡查频次", "定性", "1次/月", ""),
            ("服务周期", "定性", "{Y}.01-{Y}.12", ""),
            // A date as the reader shows a date cell (`Shape::date_cells` types it as one).
            ("项目完工日期", "定性", "{Y}年6月30日", ""),
            ("完成时限", "定性", "{Y}.07", ""),
        ],
    ),
];

const BENEFIT: &[Pool] = &[
    (
        "社会效益指标",
        &["社会效益指标", "社会效益"],
        IndicatorClass::Social,
        &[
            ("受益人口数", "≥", "3000", "人"),
            ("服务覆盖率", "≥", "90", "%"),
            ("辍学率", "≤", "1", "%"),
        ],
    ),
    (
        "经济效益指标",
        &["经济效益指标", "经济效益"],
        IndicatorClass::Economic,
        &[("带动农户增收", "≥", "50", "万元")],
    ),
    (
        "生态效益指标",
        &["生态效益指标", "生态效益"],
        IndicatorClass::Ecological,
        &[
            ("森林覆盖率", "≥", "45", "%"),
            ("细颗粒物年均浓度", "≤", "35", "微克/立方米"),
            ("森林草原火灾受害率", "≤", "0.9", "‰"),
        ],
    ),
    (
        "可持续影响指标",
        &["可持续影响指标", "可持续影响"],
        IndicatorClass::Sustainable,
        &[("设施使用年限", "≥", "10", "年")],
    ),
];

const SATISFACTION: &[&str] = &["服务对象满意度指标", "社会公众或服务对象满意度指标"];

/// Level names with the remark a budget system prints after them (石嘴山 2020's
/// `时效指标(必填)`, `数量指标（必填）`, `成本指标(必填硬性指标)`), however bracketed: the same
/// levels, classed as without it.
const REMARKED: &[(&str, &[&str])] = &[
    ("数量指标", &["数量指标(必填)", "数量指标（必填）"]),
    ("质量指标", &["质量指标【必填】", "质量指标(必填)"]),
    ("时效指标", &["时效指标(必填)", "时效指标（必填）"]),
    ("成本指标", &["成本指标(必填硬性指标)", "成本指标（必填）"]),
    (
        "社会效益指标",
        &["社会效益指标（选填）", "社会效益指标(选填)"],
    ),
    ("社会效益", &["社会效益(选填)", "社会效益[选填]"]),
    (
        "经济效益指标",
        &["经济效益指标(选填)", "经济效益指标【选填】"],
    ),
    ("经济效益", &["经济效益（选填）", "经济效益(选填)"]),
    (
        "生态效益指标",
        &["生态效益指标[选填]", "生态效益指标(选填)"],
    ),
    ("生态效益", &["生态效益(选填)", "生态效益（选填）"]),
    (
        "可持续影响指标",
        &["可持续影响指标(选填)", "可持续影响指标（选填）"],
    ),
    ("可持续影响", &["可持续影响(选填)", "可持续影响【选填】"]),
    (
        "服务对象满意度指标",
        &["服务对象满意度指标(必填)", "服务对象满意度指标（必填）"],
    ),
    (
        "社会公众或服务对象满意度指标",
        &[
            "社会公众或服务对象满意度指标(必填)",
            "社会公众或服务对象满意度指标【必填】",
        ],
    ),
];
pub(super) const SATISFIED: &[&str] = &["服务对象满意度", "受益群众满意度", "参训人员满意度"];

const NAMES: &[&str] = &[
    "乡村医生岗位培训项目",
    "农村饮水安全巩固提升工程",
    "城市道路降尘保洁服务",
    "中职学生助学补助",
    "森林防火能力建设项目",
    "档案数字化加工项目",
];
const DEPARTMENTS: &[&str] = &[
    "某县卫生健康局",
    "某县水利局",
    "某市城市管理局",
    "某县教育局",
];
const UNITS: &[&str] = &[
    "某县疾病预防控制中心",
    "某县农村供水站",
    "某市环卫处",
    "某县职业中专",
];
const ATTRIBUTES: &[&str] = &["经常性项目", "延续项目", "一次性项目", "新增项目"];

/// Header wordings of published forms for each field.
pub(super) const NAME_LABELS: &[&str] = &["项目名称", "项目名称", "申报项目名称"];
pub(super) const DEPARTMENT_LABELS: &[&str] = &[
    "主管部门",
    "项目主管部门",
    "主管预算部门",
    "业务主管部门",
    "主管部门（单位）名称",
    // 单位 qualified by 主管, with a level or the project before it (陈仓's 区级主管单位).
    "县级主管单位",
    "项目主管单位",
];
pub(super) const UNIT_LABELS: &[&str] =
    &["实施单位", "项目实施单位", "项目执行单位", "项目承担单位"];
pub(super) const GOAL_LABELS: &[&str] = &[
    "年度总体目标",
    "年度绩效目标",
    "当年绩效目标",
    "年度目标",
    "年度主要目标和成果",
];

/// Draws one table.
pub(super) fn generate(seed: u64) -> Spec {
    let mut r = Rng::new(seed);
    let year = 2019 + r.below(8) as i32;
    let mut indicators = Vec::new();
    // 产出: every 二级 of the pool, one or two rows each; the costs close the 产出 block.
    for (l2, _, class, pool) in OUTPUT {
        let n = 1 + r.below(2);
        let start = r.below(pool.len());
        for k in 0..n.min(pool.len()) {
            let (name, nature, value, unit) = pool[(start + k) % pool.len()];
            indicators.push(Ind {
                level1: "产出指标",
                level2: l2,
                name,
                nature,
                value: value.replace("{Y}", &year.to_string()),
                unit,
                class: *class,
                weight: 0,
            });
        }
    }
    // Costs adding up to the year's money.
    let costs = [("设备购置费", 0), ("劳务费", 0), ("培训费", 0)];
    let n_costs = 1 + r.below(costs.len());
    let mut annual = 0;
    for (name, _) in costs.iter().take(n_costs) {
        let amount = 5 + r.below(60) as u32;
        annual += amount;
        indicators.push(Ind {
            level1: "产出指标",
            level2: "成本指标",
            name,
            nature: "≤",
            value: amount.to_string(),
            unit: "万元",
            class: IndicatorClass::Cost,
            weight: 0,
        });
    }
    // 效益: one to three of its 二级, in the framework's order.
    let mut benefit: Vec<usize> = (0..BENEFIT.len()).filter(|_| r.chance(50)).collect();
    if benefit.is_empty() {
        benefit.push(0);
    }
    for b in benefit {
        let (_, wordings, class, pool) = BENEFIT[b];
        let (name, nature, value, unit) = r.pick(pool);
        indicators.push(Ind {
            level1: "效益指标",
            level2: r.pick(wordings),
            name,
            nature,
            value: value.to_string(),
            unit,
            class,
            weight: 0,
        });
    }
    indicators.push(Ind {
        level1: "满意度指标",
        level2: r.pick(SATISFACTION),
        name: r.pick(SATISFIED),
        nature: "≥",
        value: r.pick(&["85", "90", "95"]).to_string(),
        unit: "%",
        class: IndicatorClass::Satisfaction,
        weight: 0,
    });
    // One table in four prints its levels with a remark (drawn apart: the content above stays
    // what the seed gave).
    let mut remarks = Rng::new(seed ^ 0xBEEF);
    if remarks.chance(25) {
        let variant = remarks.below(2);
        for ind in &mut indicators {
            if let Some((_, with)) = REMARKED.iter().find(|(l2, _)| *l2 == ind.level2) {
                ind.level2 = with[variant % with.len()];
            }
        }
    }
    // Weights totalling 100: 10 to each but the first, which takes the rest.
    let n = indicators.len() as u32;
    for (i, ind) in indicators.iter_mut().enumerate() {
        ind.weight = if i == 0 { 100 - 5 * (n - 1) } else { 5 };
    }
    let name = r.pick(NAMES).to_string();
    Spec {
        year,
        goal: format!("按期完成{name}年度任务，提升服务保障水平，资金使用规范。"),
        long_term_goal: format!("实施期内完成{name}全部建设内容，形成长效管护机制。"),
        name,
        department: r.pick(DEPARTMENTS).to_string(),
        implementing_unit: r.pick(UNITS).to_string(),
        attribute: r.chance(50).then(|| r.pick(ATTRIBUTES)),
        annual,
        indicators,
    }
}

/// How the table is printed: drawn from the same seed after the content.
pub(super) struct Shape {
    pub(super) title: u8,
    pub(super) unit_row: bool,
    pub(super) name_label: &'static str,
    pub(super) department_label: &'static str,
    pub(super) unit_label: &'static str,
    pub(super) pairs_on_one_row: bool,
    pub(super) funding: u8,
    pub(super) goal_label: &'static str,
    /// 一级 | 二级 | 三级 | 指标性质 | 指标值 | 度量单位 | 权重, else 一级 | 二级 | 三级 | 指标值.
    pub(super) split_values: bool,
    pub(super) merge_levels: bool,
    /// The goal under a heading row (`总体目标 | 年度目标`, then the text), and with the
    /// implementation period's goal beside it (`项目总目标 | 年度总体目标`).
    pub(super) goal_heading: u8,
    /// A title column left of the grid (`绩效指标`, merged down the grid).
    pub(super) grid_title: bool,
    /// `预算单位` printed besides `实施单位`.
    pub(super) budget_unit: bool,
    /// Every 效益 二级 printed, the ones not used left blank (Hunan's 申报表): no indicator.
    pub(super) every_level2: bool,
    /// A rate typed as a number in a cell formatted as a percentage (`1` shown as `100%`).
    pub(super) percent_cells: bool,
    /// The money typed as text: 0 a number, 1 `16`, 2 `16万`, 3 the total `16万(…)` and its
    /// line `16万16万(…)` (the amount typed twice, 岳阳 2022).
    pub(super) amount_text: u8,
    /// A code or class beside the money (`财政资金科目代码 | 21305`): never a funding line.
    pub(super) code_row: bool,
    /// The year's goal over two rows: 0 one row, 1 its label merged down both, 2 the label on
    /// the first row only.
    pub(super) goal_rows: u8,
    /// Review rows under the grid (`财政部门审核意见 | (盖章)`): metadata, never indicators.
    pub(super) review_rows: u8,
    /// A date typed as a date cell (a serial in a date format) in the value column.
    pub(super) date_cells: bool,
    /// With split values, the unit column repeating a date-like value: 0 no, 1 the same cell,
    /// 2 the serial as a plain number beside a date cell, 3 a date's serial as a plain number
    /// in both columns, 4 the serial typed as text with a thousands comma (`44,561`) in both
    /// (乌海 2021: the date cell pasted as its number).
    pub(super) unit_repeats: u8,
    /// The table's number on a line of its own above its title (潼南 2023's `表十二`): 0 none,
    /// 1 `表十二` merged across, 2 `附表3` in column A, 3 `表 2-1`. Under the grid of a table
    /// above, it opens this table and is never an indicator.
    pub(super) table_number: u8,
    /// The unit whose budget the table is in (`预算单位`), as 东莞 2019, 奉节 2023 and 昭化 2021
    /// print it: 0 not; 1 `预算单位:某局` on a line of its own above the header block; 2 the
    /// same beside `金额单位:万元`; 3 `预算单位` the header block's only unit (the project's unit);
    /// 4 the line above and no unit in the header block. Above the block it is metadata, never
    /// the implementing unit: that is the header block's.
    pub(super) budget_line: u8,
    /// Labels printed and left blank (圣灯山 2022's `归口业务科室` alone on its row, its value
    /// box merged or not) and a one-cell footer `上报时间:  2026 年10  月 26日`: metadata,
    /// the blank ones with an empty value.
    pub(super) blank_labels: u8,
    /// The template's `…` row left under the first 一级's last row (宁乡 2021: `成本指标`, then
    /// `…` in the 二级 column, nothing else): the mark for more rows, never an indicator.
    pub(super) ellipsis_row: bool,
}

pub(super) fn shape(seed: u64) -> Shape {
    let mut r = Rng::new(seed ^ 0xF00D);
    Shape {
        title: r.below(5) as u8,
        unit_row: r.chance(50),
        name_label: r.pick(NAME_LABELS),
        department_label: r.pick(DEPARTMENT_LABELS),
        unit_label: r.pick(UNIT_LABELS),
        pairs_on_one_row: r.chance(50),
        funding: r.below(8) as u8,
        goal_label: r.pick(GOAL_LABELS),
        split_values: r.chance(50),
        merge_levels: r.chance(70),
        goal_heading: r.below(3) as u8,
        grid_title: r.chance(40),
        budget_unit: r.chance(25),
        percent_cells: r.chance(40),
        every_level2: r.chance(30),
        amount_text: r.below(4) as u8,
        code_row: r.chance(30),
        goal_rows: if r.chance(30) {
            1 + r.below(2) as u8
        } else {
            0
        },
        review_rows: if r.chance(30) {
            1 + r.below(3) as u8
        } else {
            0
        },
        date_cells: r.chance(50),
        unit_repeats: r.below(5) as u8,
        table_number: if r.chance(40) {
            1 + r.below(3) as u8
        } else {
            0
        },
        blank_labels: if r.chance(40) {
            1 + r.below(2) as u8
        } else {
            0
        },
        ellipsis_row: r.chance(25),
        budget_line: if r.chance(30) {
            1 + r.below(4) as u8
        } else {
            0
        },
    }
}

impl Shape {
    /// The implementing unit's label in the header block, if it prints one.
    fn unit_label(&self) -> Option<&'static str> {
        match self.budget_line {
            3 => Some("预算单位"),
            4 => None,
            _ => Some(self.unit_label),
        }
    }
}

/// The implementing unit as the header block prints it: none when it prints no unit.
pub(super) fn printed_unit(spec: &Spec, sh: &Shape) -> String {
    match sh.unit_label() {
        Some(_) => spec.implementing_unit.clone(),
        None => String::new(),
    }
}

/// The unit a `预算单位` line above the header block names.
fn budget_holder(spec: &Spec) -> String {
    format!("{}财务科", spec.department)
}

/// A value the generator prints as a date (`2023年6月30日`): year, month, day.
fn as_date(value: &str) -> Option<(u16, u8, u8)> {
    let (y, rest) = value.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?))
}

/// Writes an indicator's value (its value column's part with split values): a date as a date
/// cell where the shape says so.
fn write_value(ws: &mut Worksheet, row: u32, col: u16, text: &str, sh: &Shape) {
    match as_date(text) {
        Some((y, m, d)) if sh.date_cells => {
            let date = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, d).expect("a date");
            let f = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
            ws.write_datetime_with_format(row, col, &date, &f)
                .expect("write");
        }
        _ => {
            ws.write_string(row, col, text).expect("write");
        }
    }
}

/// The mark a template prints for more rows, in the 二级 column of its row.
const ELLIPSIS: &str = "…";

/// The grid's rows as printed: [`wanted_rows`], and with `ellipsis_row` the template's `…`
/// row after the first 一级's rows.
fn printed_rows(spec: &Spec, sh: &Shape) -> Vec<Ind> {
    let mut out = wanted_rows(spec, sh);
    if sh.ellipsis_row && !out.is_empty() {
        let first = out[0].clone();
        let at = out
            .iter()
            .position(|i| i.level1 != first.level1)
            .unwrap_or(out.len());
        out.insert(
            at,
            Ind {
                level2: ELLIPSIS,
                name: "",
                value: String::new(),
                ..first
            },
        );
    }
    out
}

/// The grid's rows as read: the indicators, and with `every_level2` a blank row (empty
/// name) for each 效益 二级 the table does not use, in the framework's order.
fn wanted_rows(spec: &Spec, sh: &Shape) -> Vec<Ind> {
    if !sh.every_level2 {
        return spec.indicators.clone();
    }
    let mut out: Vec<Ind> = Vec::new();
    for ind in spec
        .indicators
        .iter()
        .filter(|i| i.level1 != "效益指标" && i.level1 != "满意度指标")
    {
        out.push(ind.clone());
    }
    for (_, wordings, class, _) in BENEFIT {
        match spec.indicators.iter().find(|i| i.class == *class) {
            Some(ind) => out.push(ind.clone()),
            None => out.push(Ind {
                level1: "效益指标",
                level2: wordings[0],
                name: "",
                nature: "",
                value: String::new(),
                unit: "",
                class: *class,
                weight: 0,
            }),
        }
    }
    out.extend(
        spec.indicators
            .iter()
            .filter(|i| i.level1 == "满意度指标")
            .cloned(),
    );
    out
}

/// The workbook of a table, as bytes.
pub(super) fn render(tables: &[(Spec, Shape)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("绩效目标表").expect("sheet name");
    let mut row: u32 = 0;
    for (spec, sh) in tables {
        // Tables stacked on one sheet, two blank rows between (one when the next table's
        // number line opens it, as 潼南's do).
        let gap = if sh.table_number > 0 { 1 } else { 2 };
        row = draw(ws, spec, sh, row.saturating_sub(2 - gap)) + 2;
    }
    for c in 0..8 {
        ws.set_column_width(c, if c == 2 || c == 3 { 28 } else { 16 })
            .expect("width");
    }
    wb.save_to_buffer().expect("the workbook is written")
}

/// Draws one table from `start`; returns the row after it.
fn draw(ws: &mut Worksheet, spec: &Spec, sh: &Shape, start: u32) -> u32 {
    // The grid's first column: a title column left of it takes column A.
    let g0: u16 = u16::from(sh.grid_title);
    let width: u16 = g0 + if sh.split_values { 7 } else { 4 };
    let last = width - 1;
    let f = Format::new().set_text_wrap();
    let percent = Format::new().set_num_format("0%");
    let mut row = draw_header(ws, spec, sh, start, last);
    let header: &[&str] = if sh.split_values {
        &[
            "一级指标",
            "二级指标",
            "三级指标",
            "指标性质",
            "指标值",
            "度量单位",
            "权重",
        ]
    } else {
        &["一级指标", "二级指标", "三级指标", "指标值"]
    };
    if sh.grid_title {
        let end = row + printed_rows(spec, sh).len() as u32;
        ws.merge_range(row, 0, end, 0, "绩效指标", &f)
            .expect("merge");
    }
    for (c, h) in header.iter().enumerate() {
        ws.write_string(row, g0 + c as u16, *h).expect("write");
    }
    row += 1;
    let first = row;
    let printed = printed_rows(spec, sh);
    for (i, ind) in printed.iter().enumerate() {
        if ind.name.is_empty() {
            continue;
        }
        let r = first + i as u32;
        ws.write_string(r, g0 + 2, ind.name).expect("write");
        if sh.split_values {
            ws.write_string(r, g0 + 3, ind.nature).expect("write");
            write_value(ws, r, g0 + 4, &ind.value, sh);
            // A unit column repeating a date-like value (`2023.07` | `2023.07`).
            let date_like = ind.nature == "定性" && ind.unit.is_empty() && {
                let v = ind.value.replace(['年', '月', '日', '.'], "");
                !v.is_empty() && v.chars().all(|c| c.is_ascii_digit())
            };
            match (sh.unit_repeats, as_date(&ind.value)) {
                (1, _) if date_like => write_value(ws, r, g0 + 5, &ind.value, sh),
                (2, Some((y, m, d))) if date_like && sh.date_cells => {
                    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, d).expect("a date");
                    ws.write_number(r, g0 + 5, date.to_excel()).expect("write");
                }
                (3 | 4, Some((y, m, d))) if date_like => {
                    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, d).expect("a date");
                    let serial = date.to_excel();
                    for col in [g0 + 4, g0 + 5] {
                        if sh.unit_repeats == 3 {
                            let f = Format::new().set_num_format("#,##0");
                            ws.write_number_with_format(r, col, serial, &f)
                        } else {
                            let n = serial as u64;
                            ws.write_string(r, col, format!("{},{:03}", n / 1000, n % 1000))
                        }
                        .expect("write");
                    }
                }
                _ => {
                    ws.write_string(r, g0 + 5, ind.unit).expect("write");
                }
            }
            ws.write_number(r, g0 + 6, f64::from(ind.weight))
                .expect("write");
        } else if sh.percent_cells && ind.nature == "＝" && ind.unit == "%" {
            let n: f64 = ind.value.parse().expect("a number");
            ws.write_number_with_format(r, g0 + 3, n / 100.0, &percent)
                .expect("write");
        } else {
            write_value(ws, r, g0 + 3, &ind.raw(), sh);
        }
    }
    // The level columns: merged down their runs, or repeated on every row.
    for (col, level) in [(g0, 1), (g0 + 1, 2)] {
        let of = |i: usize| {
            let ind = &printed[i];
            if level == 1 {
                ind.level1
            } else {
                ind.level2
            }
        };
        let mut i = 0;
        while i < printed.len() {
            let mut j = i;
            while j + 1 < printed.len()
                && of(j + 1) == of(i)
                && (level == 1 || printed[j + 1].level1 == printed[i].level1)
            {
                j += 1;
            }
            let (a, b) = (first + i as u32, first + j as u32);
            if sh.merge_levels && b > a {
                ws.merge_range(a, col, b, col, of(i), &f).expect("merge");
            } else {
                for r in a..=b {
                    ws.write_string(r, col, of(i)).expect("write");
                }
            }
            i = j + 1;
        }
    }
    let mut row = first + printed.len() as u32;
    // Review rows under the grid: the label left, the seal or the word of approval beside it.
    let reviews = [
        "主管部门审核意见",
        "财政部门审核意见",
        "财政部门支出股室初审意见",
    ];
    for (k, label) in reviews.iter().take(usize::from(sh.review_rows)).enumerate() {
        ws.merge_range(row, 0, row, 1, label, &f).expect("merge");
        let text = if k == 1 {
            "同意。（盖章）"
        } else {
            "(盖章)"
        };
        ws.merge_range(row, 2, row, last, text, &f).expect("merge");
        row += 1;
    }
    if sh.blank_labels > 0 {
        let text = format!("上报时间:  {} 年10  月 26日", spec.year - 1);
        ws.merge_range(row, 0, row, last, &text, &f).expect("merge");
        row += 1;
    }
    row
}

/// Draws a table's title and header block (name, department, unit, money, goal) across
/// columns `0..=last` from `start`; returns the row after it.
pub(super) fn draw_header(
    ws: &mut Worksheet,
    spec: &Spec,
    sh: &Shape,
    start: u32,
    last: u16,
) -> u32 {
    let f = Format::new().set_text_wrap();
    let mut row: u32 = start;
    let full = |ws: &mut Worksheet, row: u32, text: &str| {
        ws.merge_range(row, 0, row, last, text, &f).expect("merge");
    };
    let y = spec.year;
    if sh.table_number > 0 {
        match sh.table_number {
            1 => full(ws, row, "表十二"),
            2 => {
                ws.write_string(row, 0, "附表3").expect("write");
            }
            _ => full(ws, row, "表 2-1"),
        }
        row += 1;
    }
    match sh.title {
        0 => {
            full(ws, row, "项目支出绩效目标表");
            row += 1;
            full(ws, row, &format!("（{y}年度）"));
        }
        1 => full(ws, row, &format!("{y}年度项目支出绩效目标表")),
        2 => full(ws, row, &format!("{y}年部门预算项目绩效目标申报表")),
        3 => {
            full(ws, row, "绩效目标申报表");
            row += 1;
            full(ws, row, &format!("({y}年度)"));
        }
        // The bracket closed before 年度.
        _ => {
            full(ws, row, "项目绩效目标表");
            row += 1;
            full(ws, row, &format!("（{y}）年度"));
        }
    }
    row += 1;
    match sh.budget_line {
        1 | 4 => {
            full(ws, row, &format!("预算单位:{}", budget_holder(spec)));
            row += 1;
        }
        2 => {
            let split = (last / 2).max(1);
            let line = format!("预算单位: {}", budget_holder(spec));
            if split > 1 {
                ws.merge_range(row, 0, row, split - 1, &line, &f)
                    .expect("merge");
            } else {
                ws.write_string(row, 0, &line).expect("write");
            }
            ws.write_string(row, last, "金额单位:万元").expect("write");
            row += 1;
        }
        _ => {}
    }
    if sh.unit_row {
        full(ws, row, "单位：万元");
        row += 1;
    }
    // A label in column A and its value merged to the right edge.
    let pair = |ws: &mut Worksheet, row: u32, label: &str, value: &str| {
        ws.write_string(row, 0, label).expect("write");
        ws.merge_range(row, 1, row, last, value, &f).expect("merge");
    };
    pair(ws, row, sh.name_label, &spec.name);
    row += 1;
    if sh.pairs_on_one_row {
        ws.write_string(row, 0, sh.department_label).expect("write");
        match sh.unit_label() {
            Some(label) => {
                ws.write_string(row, 1, &spec.department).expect("write");
                ws.write_string(row, 2, label).expect("write");
                if last > 3 {
                    ws.merge_range(row, 3, row, last, &spec.implementing_unit, &f)
                        .expect("merge");
                } else {
                    ws.write_string(row, 3, &spec.implementing_unit)
                        .expect("write");
                }
            }
            None => ws
                .merge_range(row, 1, row, last, &spec.department, &f)
                .map(|_| ())
                .expect("merge"),
        }
        row += 1;
    } else {
        pair(ws, row, sh.department_label, &spec.department);
        row += 1;
        if let Some(label) = sh.unit_label() {
            pair(ws, row, label, &spec.implementing_unit);
            row += 1;
        }
    }
    if sh.budget_unit && sh.budget_line < 3 {
        pair(ws, row, "预算单位", &format!("{}本级", spec.department));
        row += 1;
    }
    if sh.blank_labels > 0 {
        // The value box merged (1) or not (2).
        ws.write_string(row, 0, "归口业务科室").expect("write");
        if sh.blank_labels == 1 {
            ws.merge_range(row, 1, row, last, "", &f).expect("merge");
        }
        row += 1;
        ws.write_string(row, 0, "是否政府采购").expect("write");
        row += 1;
    }
    if let Some(a) = spec.attribute {
        pair(ws, row, "项目属性", a);
        row += 1;
    }
    let annual = f64::from(spec.annual);
    let a = spec.annual;
    // The spans side by side need five columns; a narrower table prints the national block.
    let funding = if sh.funding == 6 && last < 4 {
        0
    } else {
        sh.funding
    };
    // An amount as typed: a number, or text in one of the ways published forms type it.
    let amount = |ws: &mut Worksheet, r: u32, c: u16, n: u32, first: bool| {
        let text = match sh.amount_text {
            _ if n == 0 => None,
            1 => Some(n.to_string()),
            2 => Some(format!("{n}万")),
            3 if first => Some(format!("{n}万(项目经费{n}万元)")),
            3 => Some(format!("{n}万{n}万(项目经费{n}万元)")),
            _ => None,
        };
        match text {
            Some(t) => ws.write_string(r, c, t),
            None => ws.write_number(r, c, f64::from(n)),
        }
        .expect("write");
    };
    let block_top = row;
    match funding {
        // The national block: a label down column A, lines and amounts beside it.
        0 | 3 => {
            let lines: &[(&str, u32)] = if funding == 0 {
                &[
                    ("年度资金总额", a),
                    ("其中：财政拨款", a),
                    ("上年结转资金", 0),
                    ("其他资金", 0),
                ]
            } else {
                // The 2015 申报表: 资金情况, the total's label ending in a colon.
                &[
                    ("年度资金总额：", a),
                    ("其中：财政拨款", a),
                    ("其他资金", 0),
                ]
            };
            let n = lines.len() as u32;
            let block = if funding == 0 {
                "项目资金（万元）"
            } else {
                "资金情况（万元）"
            };
            ws.merge_range(row, 0, row + n - 1, 0, block, &f)
                .expect("merge");
            for (k, (label, n)) in lines.iter().enumerate() {
                let r = row + k as u32;
                ws.merge_range(r, 1, r, 2, label, &f).expect("merge");
                amount(ws, r, 3, *n, k == 0);
            }
            row += n;
        }
        // Total and the year's money side by side (a one-year project).
        1 => {
            ws.write_string(row, 0, "项目总预算（万元）")
                .expect("write");
            ws.write_number(row, 1, annual).expect("write");
            ws.write_string(row, 2, "当年年度预算（万元）")
                .expect("write");
            ws.write_number(row, 3, annual).expect("write");
            row += 1;
        }
        // One line per row, labels in column A.
        2 => {
            for (label, amount) in [("年度资金总额（万元）", annual), ("其中：财政资金", annual)]
            {
                ws.write_string(row, 0, label).expect("write");
                ws.write_number(row, 1, amount).expect("write");
                row += 1;
            }
        }
        // Label and amount typed in one cell (`年度资金总额：16`).
        4 => {
            ws.merge_range(row, 0, row + 1, 0, "资金情况（万元）", &f)
                .expect("merge");
            for (k, text) in [format!("年度资金总额：{a}"), format!("其中：财政拨款：{a}")]
                .iter()
                .enumerate()
            {
                let r = row + k as u32;
                ws.merge_range(r, 1, r, last, text, &f).expect("merge");
            }
            row += 2;
        }
        // The amount after its fund's name (`中央…补助资金(少数民族发展任务)50`, 岳阳 2022).
        5 => {
            let fund = format!("中央财政衔接推进乡村振兴补助资金(少数民族发展任务){a}");
            ws.merge_range(row, 0, row + 1, 0, "资金情况（万元）", &f)
                .expect("merge");
            for (k, label) in [format!("年度资金总额:{a}万"), "其中:财政拨款".to_string()]
                .iter()
                .enumerate()
            {
                let r = row + k as u32;
                ws.merge_range(r, 1, r, 2, label, &f).expect("merge");
                if last > 3 {
                    ws.merge_range(r, 3, r, last, &fund, &f).expect("merge");
                } else {
                    ws.write_string(r, 3, &fund).expect("write");
                }
            }
            row += 2;
        }
        // The project's total and the year's side by side, each with its lines below
        // (项目资金总额 | 年度资金申请总额, 兵团 2021).
        6 => {
            ws.merge_range(row, 0, row + 3, 0, "资金情况（万元）", &f)
                .expect("merge");
            let rows: [(&str, Option<u32>, &str, Option<u32>); 4] = [
                ("项目资金总额:", Some(a), "年度资金申请总额", Some(a)),
                ("其中:财政资金", Some(a), "其中:当年财政拨款", Some(a)),
                ("", None, "上年结转资金", None),
                ("其他资金", None, "其他资金", None),
            ];
            for (k, (l, la, rl, ra)) in rows.iter().enumerate() {
                let r = row + k as u32;
                if !l.is_empty() {
                    ws.write_string(r, 1, *l).expect("write");
                }
                if let Some(n) = la {
                    amount(ws, r, 2, *n, k == 0);
                }
                ws.write_string(r, 3, *rl).expect("write");
                if let Some(n) = ra {
                    amount(ws, r, 4, *n, k == 0);
                }
            }
            row += 4;
        }
        // The lines first, closed by their total (`合计`): never a line of its own.
        _ => {
            let other = a / 3;
            let total = ["合计", "小计", "资金总计", "资金合计"][usize::from(sh.amount_text)];
            let lines = [("财政拨款", a - other), ("其他资金", other), (total, a)];
            ws.merge_range(row, 0, row + 2, 0, "项目资金（万元）", &f)
                .expect("merge");
            for (k, (label, n)) in lines.iter().enumerate() {
                let r = row + k as u32;
                ws.merge_range(r, 1, r, 2, label, &f).expect("merge");
                ws.write_number(r, 3, f64::from(*n)).expect("write");
            }
            row += 3;
        }
    }
    // A code beside the money (in the free columns right of the block) or on a row of its own.
    if sh.code_row {
        let (label, value) = [
            ("财政资金科目代码", "21305"),
            ("支出功能分类科目", "2130599"),
            ("项目类别", "其他类"),
        ][usize::from(sh.amount_text) % 3];
        if last >= 6 && matches!(funding, 0 | 3 | 7) {
            ws.write_string(block_top, 4, label).expect("write");
            ws.merge_range(block_top, 5, block_top, last, value, &f)
                .expect("merge");
        } else {
            pair(ws, row, label, value);
            row += 1;
        }
    }
    match sh.goal_heading {
        0 if sh.goal_rows > 0 => {
            // The goal continued on the next row, in its value's columns.
            let cut = spec.goal.find('，').map_or(0, |i| i + '，'.len_utf8());
            let (first, rest) = spec.goal.split_at(cut);
            if sh.goal_rows == 1 {
                ws.merge_range(row, 0, row + 1, 0, sh.goal_label, &f)
                    .expect("merge");
            } else {
                ws.write_string(row, 0, sh.goal_label).expect("write");
            }
            ws.merge_range(row, 1, row, last, first, &f).expect("merge");
            ws.merge_range(row + 1, 1, row + 1, last, rest, &f)
                .expect("merge");
            row += 2;
        }
        0 => {
            pair(ws, row, sh.goal_label, &spec.goal);
            row += 1;
        }
        // 总体目标 down column A, the heading over the text.
        1 => {
            ws.merge_range(row, 0, row + 1, 0, "总体目标", &f)
                .expect("merge");
            ws.merge_range(row, 1, row, last, "年度目标", &f)
                .expect("merge");
            ws.merge_range(row + 1, 1, row + 1, last, &spec.goal, &f)
                .expect("merge");
            row += 2;
        }
        // The period's goal and the year's side by side, each under its heading.
        _ => {
            let mid = 1 + (last - 1) / 2;
            ws.merge_range(row, 0, row + 1, 0, "项目绩效目标", &f)
                .expect("merge");
            for (r, left, right) in [
                (row, "项目总目标", "年度总体目标"),
                (row + 1, spec.long_term_goal.as_str(), spec.goal.as_str()),
            ] {
                if mid > 2 {
                    ws.merge_range(r, 1, r, mid - 1, left, &f).expect("merge");
                } else {
                    ws.write_string(r, 1, left).expect("write");
                }
                if last > mid {
                    ws.merge_range(r, mid, r, last, right, &f).expect("merge");
                } else {
                    ws.write_string(r, mid, right).expect("write");
                }
            }
            row += 2;
        }
    }
    row
}

/// What the reader got wrong in one generated table.
pub(super) fn differences(spec: &Spec, sh: &Shape, t: &jixiao::Table) -> Vec<String> {
    let mut out = Vec::new();
    let mut same = |what: &str, got: String, want: String| {
        if got != want {
            out.push(format!("{what}: got {got:?}, want {want:?}"));
        }
    };
    same(
        "year",
        format!("{:?}", t.year),
        format!("{:?}", Some(spec.year)),
    );
    same("name", t.project.name.clone(), spec.name.clone());
    same(
        "department",
        t.project.department.clone(),
        spec.department.clone(),
    );
    same(
        "implementing_unit",
        t.project.implementing_unit.clone(),
        printed_unit(spec, sh),
    );
    if matches!(sh.budget_line, 1 | 2 | 4) {
        let held = t.metadata.iter().find(|m| m.label == "预算单位");
        same(
            "metadata 预算单位",
            format!("{:?}", held.map(|m| m.value.clone())),
            format!("{:?}", Some(budget_holder(spec))),
        );
    }
    same(
        "attribute",
        t.project.attribute.clone(),
        spec.attribute.unwrap_or_default().to_string(),
    );
    same(
        "annual_total",
        format!("{:?}", t.funding.annual_total.map(|d| d.normalize())),
        format!("{:?}", Some(rust_decimal::Decimal::from(spec.annual))),
    );
    same("goal", t.goal.clone(), spec.goal.clone());
    if sh.blank_labels > 0 {
        let meta = |label: &str| {
            t.metadata
                .iter()
                .find(|m| m.label == label)
                .map(|m| m.value.clone())
        };
        same(
            "metadata 归口业务科室",
            format!("{:?}", meta("归口业务科室")),
            format!("{:?}", Some("")),
        );
        same(
            "metadata 是否政府采购",
            format!("{:?}", meta("是否政府采购")),
            format!("{:?}", Some("")),
        );
        same(
            "metadata 上报时间",
            format!("{:?}", meta("上报时间")),
            format!("{:?}", Some(format!("{} 年10 月 26日", spec.year - 1))),
        );
    }
    if sh.goal_heading == 2 {
        same(
            "long_term_goal",
            t.long_term_goal.clone(),
            spec.long_term_goal.clone(),
        );
    }
    // A 二级 row printed blank is kept as a row of the grid (nothing lost), with no name and
    // no value; the checker reads it by the form's `blank_is_none`. The `…` row is none.
    let rows = wanted_rows(spec, sh);
    same(
        "indicators",
        t.indicators.len().to_string(),
        rows.len().to_string(),
    );
    for (i, (got, want)) in t.indicators.iter().zip(&rows).enumerate() {
        let mut at = |what: &str, g: String, w: String| {
            if g != w {
                out.push(format!(
                    "indicators[{i}] ({}).{what}: got {g:?}, want {w:?}",
                    want.name
                ));
            }
        };
        at("level1", got.level1.clone(), want.level1.to_string());
        at("level2", got.level2.clone(), want.level2.to_string());
        at("name", got.name.clone(), want.name.to_string());
        at("value", got.value.raw.clone(), want.raw());
        at(
            "class",
            format!("{:?}", got.class),
            format!("{:?}", want.class),
        );
    }
    out
}

#[test]
fn generated_tables_read_exactly_without_false_alarms() {
    let n = family_size("JIXIAO_FAMILY", TABLES);
    let mut tally = Tally::default();
    for seed in 0..n {
        // One table, or (one in five) a second stacked below it on the same sheet, of
        // another project.
        let mut tables = vec![(generate(seed), shape(seed))];
        if Rng::new(seed ^ 0x57AC).chance(20) {
            let other = (1..)
                .map(|k| seed + 10_000 * k)
                .find(|s| generate(*s).name != tables[0].0.name)
                .expect("another project");
            tables.push((generate(other), shape(other)));
        }
        let bytes = render(&tables);
        tally.judge(
            &format!("family-{seed}.xlsx"),
            &bytes,
            &tables,
            true,
            |(spec, sh), t| differences(spec, sh, t),
        );
    }
    assert!(
        tally.failures.is_empty(),
        "{}:\n{}",
        tally.figures(),
        tally.failures.join("\n")
    );
}
