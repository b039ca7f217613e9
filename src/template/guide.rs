//! The 填报说明 sheet: how to fill the template, generated from the layout, the indicator
//! framework, the checker's rule catalogue and `templates/template.toml`.
//!
//! ```text
//!  | A (topic)        | B (explanation)                                              |
//!  | 填报说明 (A:B)                                                                   |
//!  | 2027年…，传统版式 (A:B)                                                          |
//!  | 一、怎样填写 (A:B)                                                               |
//!  | 1                | 白色单元格可以填写；…                                        |
//!  | 二、各栏目的含义 (A:B)                                                           |
//!  | “项目名称”       | 项目的全称…（必填）                                          |
//!  | 三、必须相等的金额 / 四、指标体系 / 五、指标值的写法 / 六、审核时检查的内容         |
//! ```
//!
//! The reader opens this sheet too: no cell holds a form label alone. Labels are quoted
//! (`“项目名称”`), and the topic cells are never followed by a value the reader would take.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};
use serde::Deserialize;

use crate::check::{self, Vocab};
use crate::model::{Layout, Severity};
use crate::read::labels::Framework;
use crate::write::issues::field_words;
use crate::write::layout::FormLayout;
use crate::write::measure;

/// `templates/template.toml`, as shipped.
pub(crate) const TEMPLATE_TOML: &str = include_str!("../../templates/template.toml");

/// Name of the sheet.
pub const GUIDE_SHEET: &str = "填报说明";

/// What `templates/template.toml` says.
#[derive(Debug, Clone, Deserialize)]
pub struct TemplateText {
    /// The title of a blank table (`{year}` is replaced).
    pub title: String,
    /// The title of a blank 部门整体 table (`{year}` is replaced).
    pub department_title: String,
    /// The metadata keys (`filled_on`, `finance_opinion`, …) whose values record one year's
    /// filling and approval: left blank in a prefilled table.
    #[serde(default)]
    pub sign_off: Vec<String>,
    /// The choices of the 项目属性 dropdown, one per kind.
    pub attributes: Vec<String>,
    /// Rows per second-level indicator in a blank table.
    pub rows_per_level2: usize,
    /// Empty rows added after each second-level indicator of a prefilled table.
    pub spare_rows: usize,
    /// The choices of 指标性质.
    pub natures: Vec<String>,
    /// The header fields and what they mean.
    #[serde(rename = "field")]
    pub fields: Vec<FieldText>,
    /// The grid's columns.
    pub grid: GridText,
    /// How values are written.
    #[serde(rename = "value")]
    pub values: Vec<ValueText>,
    /// Input and error messages of the cells.
    pub input: InputText,
}

/// One header field.
#[derive(Debug, Clone, Deserialize)]
pub struct FieldText {
    /// The model field path.
    pub field: String,
    /// What it means and how to fill it.
    pub means: String,
}

/// The grid's columns.
#[derive(Debug, Clone, Deserialize)]
pub struct GridText {
    /// 一级/二级指标.
    pub level: String,
    /// 三级指标.
    pub name: String,
    /// 指标值.
    pub value: String,
    /// 指标性质.
    pub nature: String,
    /// 度量单位.
    pub unit: String,
}

/// One kind of value.
#[derive(Debug, Clone, Deserialize)]
pub struct ValueText {
    /// The kind (数量, 比率, …).
    pub kind: String,
    /// Examples.
    pub examples: String,
    /// How to write it.
    pub explain: String,
}

/// Input and error messages.
#[derive(Debug, Clone, Deserialize)]
pub struct InputText {
    /// Title of an amount cell's message.
    pub amount_title: String,
    /// An amount cell's message.
    pub amount: String,
    /// The error when an amount is not a number ≥ 0.
    pub amount_error: String,
    /// The error when a value is not in its list.
    pub list_error: String,
    /// The warning when a 项目属性 is not in its list.
    pub attribute_error: String,
    /// Title of a value cell's message.
    pub value_title: String,
    /// A value cell's message (single value column).
    pub value: String,
    /// A value cell's message (split columns).
    pub split_value: String,
}

impl TemplateText {
    /// The shipped text.
    pub fn builtin() -> &'static TemplateText {
        static TEXT: OnceLock<TemplateText> = OnceLock::new();
        TEXT.get_or_init(|| {
            // Part of the crate and parsed by the tests: a broken file is a build bug.
            #[allow(clippy::expect_used)]
            TemplateText::from_toml(TEMPLATE_TOML).expect("templates/template.toml is valid")
        })
    }

    /// Parses a template text file.
    ///
    /// # Errors
    /// When the TOML does not have the shape of `templates/template.toml`.
    pub fn from_toml(text: &str) -> Result<TemplateText, toml::de::Error> {
        toml::from_str(text)
    }
}

/// Fills `{year}` and `{next}` in a text.
pub(crate) fn fill_year(text: &str, year: i32) -> String {
    text.replace("{year}", &year.to_string())
        .replace("{next}", &(year + 1).to_string())
}

/// Moves every year written in a text (a standalone `19xx`/`20xx`) by `delta` years: the rule
/// catalogue's examples are written for the seed's year.
pub(crate) fn move_years(text: &str, delta: i32) -> String {
    if delta == 0 {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let start_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        let four: String = chars.iter().skip(i).take(4).collect();
        let end_ok = chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        if start_ok && end_ok && four.len() == 4 && four.chars().all(|c| c.is_ascii_digit()) {
            if let Ok(y) = four.parse::<i32>() {
                if (1900..2100).contains(&y) {
                    out.push_str(&(y + delta).to_string());
                    i += 4;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A text meant for the finance office, for a department filling the form: without the
/// pointers to the program's files, commands and options (`见 templates/rules.toml`,
/// `（使用 --all 可保留）`, `可用 jixiao check 检查`) and without folders in file paths.
pub(crate) fn for_department(text: &str) -> String {
    static PATTERNS: OnceLock<[regex::Regex; 4]> = OnceLock::new();
    let [paren, see, cli, path] = PATTERNS.get_or_init(|| {
        // Fixed patterns, checked by the tests: a broken one is a build bug.
        #[allow(clippy::expect_used)]
        let re = |p: &str| regex::Regex::new(p).expect("a valid pattern");
        [
            // A parenthesis that points at files, commands or options.
            re(r"[（(][^（）()]*(?:templates/|jixiao|--[a-z])[^（）()]*[）)]"),
            // `，见 templates/rules.toml` and the like.
            re(r"[，,；;]?\s*(?:见|详见|参见)\s*`?templates/[A-Za-z0-9_./-]+`?"),
            // `可用 jixiao check 检查` and the like.
            re(r"[，,；;]?\s*(?:可|可以|请)?用\s*`?jixiao[^，。；]*"),
            // Folders before a workbook's name: `/home/u/甲.xlsx`, `C:\Users\u\甲.xls`.
            re(r"(?:[A-Za-z]:)?(?:[^\s/\\，。；、“”「」（）:]*[/\\])+([^\s/\\，。；、“”「」（）]+\.(?i:xlsx|xlsm|xlsb|xls|ods|et|ett|xlt|xltx|xltm|toml))"),
        ]
    });
    let s = see.replace_all(text, "");
    let s = paren.replace_all(&s, "");
    let s = cli.replace_all(&s, "");
    path.replace_all(&s, "$1").into_owned()
}

/// The year the rule catalogue's texts are written for.
const CATALOGUE_YEAR: i32 = 2026;

/// One row of the guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// The sheet's title.
    Title(String),
    /// A line under the title.
    Lead(String),
    /// A section heading.
    Heading(String),
    /// A topic and its explanation.
    Item(String, String),
}

/// The guide's lines for a template of `year` with forms in `layouts` (in order of use).
pub fn lines(year: i32, layouts: &[Layout]) -> Vec<Line> {
    lines_with(year, layouts, false)
}

/// [`lines`] for a workbook that also (`department`), or only (`layouts` empty), holds
/// 部门整体 forms.
pub(crate) fn lines_with(year: i32, layouts: &[Layout], department: bool) -> Vec<Line> {
    let g = Guide {
        year,
        layouts,
        department: department || layouts.is_empty(),
        only_department: layouts.is_empty(),
        national: layouts.contains(&Layout::National),
    };
    let mut out = g.intro();
    out.extend(g.how_to_fill());
    out.extend(g.field_meanings());
    out.extend(g.sums());
    out.extend(g.framework());
    out.extend(g.values());
    out.extend(g.checks());
    out
}

/// What the guide is written for.
struct Guide<'a> {
    year: i32,
    /// The forms' layouts, in order of use (none: only 部门整体 forms).
    layouts: &'a [Layout],
    /// The workbook holds 部门整体 forms.
    department: bool,
    /// It holds only 部门整体 forms.
    only_department: bool,
    /// It holds national forms.
    national: bool,
}

impl Guide<'_> {
    /// The title and the line saying what the workbook is.
    fn intro(&self) -> Vec<Line> {
        let year = self.year;
        let mut names: Vec<&str> = self.layouts.iter().map(|l| layout_name(*l)).collect();
        if self.department {
            names.push(DEPARTMENT_NAME);
        }
        let lead = if self.only_department {
            format!(
                "{year}年度部门整体支出绩效目标表：每个部门（单位）填写一张表，金额单位为万元。"
            )
        } else {
            format!(
                "{year}年度项目支出预算绩效表：{}。每个项目填写一张表，金额单位为万元。",
                names.join("；")
            )
        };
        vec![Line::Title("填报说明".into()), Line::Lead(lead)]
    }

    /// 一、怎样填写.
    fn how_to_fill(&self) -> Vec<Line> {
        let mut out = vec![Line::Heading("一、怎样填写".into())];
        let derived = if self.national && !self.layouts.contains(&Layout::Classic) {
            "“年度资金总额”"
        } else {
            "“本级资金总额”“转移市县（区）资金总额”“年度资金总额”"
        };
        let nature = if self.national {
            "（国家版式另有“指标性质”）"
        } else {
            ""
        };
        let steps = [
            "浅绿色单元格可以填写；标签、标题、年度和自动计算的合计已锁定。工作表保护没有设置密码，需要调整格式时可在“审阅 → 撤销工作表保护”中解除，改完后请重新保护。".to_string(),
            format!("带下拉箭头的单元格请从列表中选择：“项目属性”、“一级指标”、“二级指标”{nature}；“二级指标”的列表随所选的“一级指标”变化。"),
            if self.only_department {
                "金额以万元为单位，填写不小于 0 的数字，保留两位小数；“年度履职目标”中各支出项目的预算金额之和应与“项目支出”一致。".to_string()
            } else {
                format!("金额以万元为单位，填写不小于 0 的数字，保留两位小数；{derived}由公式自动计算，不必填写。")
            },
            "需要更多指标时，在同一二级指标的行之间插入整行（保护允许插入和删除行），一、二级指标的合并单元格会随之扩大。".into(),
            "填写完成后，请对照下方“审核时检查的内容”逐项核对；审核时发现的问题会逐条列出并指明单元格。".into(),
        ];
        for (i, s) in steps.iter().enumerate() {
            out.push(Line::Item(format!("{}", i + 1), s.clone()));
        }
        out
    }

    /// 二、各栏目的含义: the fields the workbook's forms print, and the grid's columns.
    fn field_meanings(&self) -> Vec<Line> {
        let text = TemplateText::builtin();
        let vocab = Vocab::builtin();
        let mut out = vec![Line::Heading("二、各栏目的含义".into())];
        let required = |f: &str| vocab.project.required.iter().any(|r| r == f);
        let mut forms: Vec<&FormLayout> = self
            .layouts
            .iter()
            .map(|l| FormLayout::builtin(*l))
            .collect();
        if self.department {
            forms.push(FormLayout::department());
        }
        for f in &text.fields {
            let in_layout = forms.iter().any(|l| {
                l.rows
                    .iter()
                    .any(|r| r.cells.iter().any(|c| c.field.as_deref() == Some(&f.field)))
            });
            if !in_layout {
                continue;
            }
            let mut means = fill_year(&f.means, self.year);
            if required(&f.field) {
                means.push_str("（必填）");
            }
            out.push(Line::Item(
                format!("“{}”", field_words(&f.field, None)),
                means,
            ));
        }
        let g = &text.grid;
        out.push(Line::Item("“一级指标”“二级指标”".into(), g.level.clone()));
        out.push(Line::Item("“三级指标”".into(), g.name.clone()));
        out.push(Line::Item("“指标值”".into(), g.value.clone()));
        if self.national {
            out.push(Line::Item("“指标性质”".into(), g.nature.clone()));
            out.push(Line::Item("“度量单位”".into(), g.unit.clone()));
        }
        out
    }

    /// 三、必须相等的金额: the funding identities, as the rule catalogue words them.
    fn sums(&self) -> Vec<Line> {
        let mut out = vec![Line::Heading(
            "三、必须相等的金额（不相等时审核报告错误）".into(),
        )];
        for id in [
            "funding.own-sum",
            "funding.transfer-sum",
            "funding.annual-sum",
            "funding.total-annual",
            "funding.cost-sum",
            "goal.cost-mismatch",
            "funding.negative",
        ] {
            if let Some(r) = check::rule(id) {
                out.push(Line::Item(
                    r.severity.label().into(),
                    for_department(&move_years(r.checks, self.year - CATALOGUE_YEAR)),
                ));
            }
        }
        out
    }

    /// 四、指标体系: per layout, the 二级 levels under each 一级 the framework requires.
    fn framework(&self) -> Vec<Line> {
        let vocab = Vocab::builtin();
        let fw = Framework::builtin();
        let mut out = vec![Line::Heading("四、指标体系".into())];
        let framework_layouts: &[Layout] = if self.only_department {
            &[Layout::Classic]
        } else {
            self.layouts
        };
        for layout in framework_layouts {
            let Some(req) = fw.required(*layout) else {
                continue;
            };
            let suffix = if self.layouts.len() > 1 {
                format!("（{}）", layout_name(*layout))
            } else {
                String::new()
            };
            let mut by_parent: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
            for l2 in &req.level2 {
                let Some(def) = fw.level2_in(l2, *layout) else {
                    continue;
                };
                if let Some(k) = req.level1.iter().position(|l1| *l1 == def.parent) {
                    by_parent.entry(k).or_default().push(l2);
                }
            }
            for (k, l2s) in by_parent {
                out.push(Line::Item(
                    format!("{}{suffix}", req.level1[k]),
                    format!("二级指标：{}。", l2s.join("、")),
                ));
            }
            let optional = vocab
                .framework
                .optional
                .get(layout.id())
                .filter(|o| !o.is_empty())
                .map(|o| format!("“{}”可根据项目实际整行删去；", o.join("”“")))
                .unwrap_or_default();
            out.push(Line::Item(
                format!("必须填写{suffix}"),
                format!(
                    "数量、质量、时效、成本指标和服务对象满意度下至少各有一项三级指标，不能填“无”；效益指标中不适用的保留该行并填“无”，但不能全部为“无”。{optional}二级指标的顺序和名称不要改动。"
                ),
            ));
        }
        out
    }

    /// 五、指标值的写法.
    fn values(&self) -> Vec<Line> {
        let mut out = vec![Line::Heading("五、指标值的写法".into())];
        for v in &TemplateText::builtin().values {
            out.push(Line::Item(
                v.kind.clone(),
                format!(
                    "如 {}。{}",
                    fill_year(&v.examples, self.year),
                    fill_year(&v.explain, self.year)
                ),
            ));
        }
        out
    }

    /// 六、审核时检查的内容: every rule that checks, as the catalogue words it.
    fn checks(&self) -> Vec<Line> {
        let mut out = vec![Line::Heading("六、审核时检查的内容".into())];
        for r in check::CATALOGUE {
            if !r.is_check() {
                continue;
            }
            out.push(Line::Item(
                r.severity.label().into(),
                for_department(&move_years(r.checks, self.year - CATALOGUE_YEAR)),
            ));
        }
        out.push(Line::Lead(
            "“错误”必须改正；“警告”请核实，确属需要的可以保留并说明理由。".into(),
        ));
        out
    }
}

/// The department-wide layout's name for users.
pub const DEPARTMENT_NAME: &str = "部门整体版式（部门整体支出绩效目标表）";

/// A layout's name for users, without the seed's year that its description carries.
pub fn layout_name(layout: Layout) -> &'static str {
    match layout {
        Layout::Classic => "传统版式",
        Layout::National => "国家版式（成本指标为一级指标，指标值分列）",
    }
}

const FONT: &str = "宋体";
const WIDTHS: [f64; 2] = [20.0, 72.0];

fn base(size: f64) -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_charset(134)
        .set_font_size(size)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

/// Writes the guide to a worksheet (protected: nothing here is to be filled in).
///
/// # Errors
/// When rust_xlsxwriter rejects a cell.
pub fn write(ws: &mut Worksheet, lines: &[Line]) -> Result<(), XlsxError> {
    let title = base(16.0).set_bold().set_align(FormatAlign::Center);
    let lead = base(10.0);
    let heading = base(11.0)
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin);
    let topic = base(10.0)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let body = base(10.0).set_border(FormatBorder::Thin);
    let severity = |s: Severity| {
        let (fill, font) = crate::write::issues::severity_colors(s);
        topic
            .clone()
            .set_background_color(fill)
            .set_font_color(font)
    };
    let (error, warning) = (severity(Severity::Error), severity(Severity::Warning));
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let full_px: f64 = WIDTHS.iter().map(|w| measure::col_px(*w)).sum();
    for (r, line) in lines.iter().enumerate() {
        let r = r as u32;
        let height = match line {
            Line::Title(s) => {
                ws.merge_range(r, 0, r, 1, s, &title)?;
                32.0
            }
            Line::Lead(s) => {
                ws.merge_range(r, 0, r, 1, s, &lead)?;
                measure::height_for_lines(measure::lines(s, 10.0, false, full_px), 10.0)
            }
            Line::Heading(s) => {
                ws.merge_range(r, 0, r, 1, s, &heading)?;
                24.0
            }
            Line::Item(a, b) => {
                let fmt = match a.as_str() {
                    "错误" => &error,
                    "警告" => &warning,
                    _ => &topic,
                };
                ws.write_string_with_format(r, 0, a, fmt)?;
                ws.write_string_with_format(r, 1, b, &body)?;
                let la = measure::lines(a, 10.0, true, measure::col_px(WIDTHS[0]));
                let lb = measure::lines(b, 10.0, false, measure::col_px(WIDTHS[1]));
                measure::height_for_lines(la.max(lb), 10.0)
            }
        };
        ws.set_row_height(r, height.max(18.0))?;
    }
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.6, 0.7, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.protect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::labels::Labels;

    #[test]
    fn shipped_text_loads() {
        let t = TemplateText::builtin();
        assert!(t.rows_per_level2 >= 1);
        assert!(t.natures.iter().any(|n| n == "定性"));
        assert!(t.input.amount_title.chars().count() <= 32);
        assert!(t.input.value_title.chars().count() <= 32);
    }

    #[test]
    fn department_texts_hold_no_program_details() {
        for (from, to) in [
            (
                "项目属性是已知的种类（经常性项目、一年期项目…，见 templates/rules.toml）",
                "项目属性是已知的种类（经常性项目、一年期项目…）",
            ),
            (
                "一年期项目在本年度结束，未带入2027年（使用 --all 可保留）",
                "一年期项目在本年度结束，未带入2027年",
            ),
            ("填写完成后，可用 jixiao check 检查。", "填写完成后。"),
            ("根据 /home/u/samples/甲.xlsx 生成", "根据 甲.xlsx 生成"),
            (
                r"根据 C:\Users\u\甲.xls、部门/乙.xlsx 生成",
                "根据 甲.xls、乙.xlsx 生成",
            ),
            (
                "开展2026年9-10月的宣传周，≥80%",
                "开展2026年9-10月的宣传周，≥80%",
            ),
            (
                "单位成本 ≤500元/人，2026/2027 年度",
                "单位成本 ≤500元/人，2026/2027 年度",
            ),
        ] {
            assert_eq!(for_department(from), to, "{from}");
        }
    }

    #[test]
    fn years_move() {
        assert_eq!(move_years("如“2026年12月前”", 1), "如“2027年12月前”");
        assert_eq!(move_years("2025-2027年", 1), "2026-2028年");
        assert_eq!(
            move_years("120260元，1年，≤48小时", 1),
            "120260元，1年，≤48小时"
        );
        assert_eq!(fill_year("{year}-{next}年", 2027), "2027-2028年");
    }

    #[test]
    fn guide_holds_no_bare_label_and_no_other_year() {
        for layouts in [
            vec![Layout::Classic],
            vec![Layout::National],
            vec![Layout::Classic, Layout::National],
        ] {
            let lines = lines(2027, &layouts);
            let mut texts = Vec::new();
            for l in &lines {
                match l {
                    Line::Title(s) | Line::Lead(s) | Line::Heading(s) => texts.push(s.clone()),
                    Line::Item(a, b) => {
                        texts.push(a.clone());
                        texts.push(b.clone());
                    }
                }
            }
            for t in &texts {
                assert!(Labels::builtin().lookup(t).is_none(), "a label: {t}");
                assert!(!t.contains("2026年"), "old year: {t}");
            }
            let all = texts.join("\n");
            for want in ["≥80%", "1项", "2027年6月前", "“项目名称”", "本级资金总额"]
            {
                assert!(all.contains(want), "{want} in guide");
            }
            assert_eq!(
                all.contains("“指标性质”"),
                layouts.contains(&Layout::National)
            );
        }
    }
}
