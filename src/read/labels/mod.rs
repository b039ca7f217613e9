//! Label matching: the alias table and the indicator framework, loaded from `templates/`.
//!
//! A label is compared after [`normalize_label`]: NFKC, all whitespace removed, a leading
//! `其中:` and trailing `:` dropped. So `项 目 名 称`, `年度总体\n绩效目标`, `转移市县（区） 资金`
//! and `转移市县 (区)资金` all find their field.
//!
//! - this module: [`normalize_label`] and the alias table ([`Labels`]);
//! - `meaning`: labels read by the words they are made of ([`Meaning`]);
//! - `framework`: the indicator framework ([`Framework`]);
//! - `fxhash`: the hash of the reader's maps.

mod framework;
mod fxhash;
mod meaning;

use std::sync::{Mutex, OnceLock};

use serde::Deserialize;

use crate::read::text::{fold_simple, fold_width};

pub(crate) use framework::bare_level;
pub use framework::{Framework, Level1Def, Level2Def, OwnLevels, Required};
pub(crate) use fxhash::{FastMap, FastSet};
pub use meaning::{Meaning, MeaningRule};

/// The alias table, as shipped in `templates/labels.toml`.
pub(crate) const LABELS_TOML: &str = include_str!("../../../templates/labels.toml");
/// Labels by meaning, as shipped in `templates/meaning.toml`.
pub(crate) const MEANING_TOML: &str = include_str!("../../../templates/meaning.toml");
/// The indicator framework, as shipped in `templates/framework.toml`.
pub(crate) const FRAMEWORK_TOML: &str = include_str!("../../../templates/framework.toml");

/// Shortest label prefix accepted as a truncated label (`自治区资`).
const MIN_TRUNCATED: usize = 3;

/// Normalises a label for comparison. Idempotent: a normalised label normalises to itself.
pub fn normalize_label(text: &str) -> String {
    let squeeze = |s: &str| -> String {
        fold_width(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    // Text whose characters NFKC maps one by one (most labels) needs one pass that also drops
    // the whitespace; a second would change nothing.
    // NFKC turns some characters into a space and a combining mark (`¨` → ` ̈`); once the
    // space is gone the mark composes with the character before it, so other text is folded
    // a second time.
    let mut folded = squeeze_simple(text).unwrap_or_else(|| squeeze(&squeeze(text)));
    let mut s = folded.as_str();
    loop {
        let before = s;
        s = s.strip_prefix("其中:").unwrap_or(s);
        s = s.strip_prefix("其中").unwrap_or(s);
        s = s.trim_end_matches([':', '*']);
        s = s.trim_start_matches('*');
        if s == before {
            break;
        }
    }
    // `s` is a slice of `folded`: cut it down in place instead of copying it.
    let start = s.as_ptr() as usize - folded.as_ptr() as usize;
    let end = start + s.len();
    folded.truncate(end);
    folded.drain(..start);
    folded
}

/// [`fold_simple`] of every character with the whitespace dropped, or `None` when a character
/// needs NFKC. Runs of characters that fold to themselves are copied as they are (most of a
/// label: CJK ideographs and ASCII), not pushed one by one.
fn squeeze_simple(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    for (i, c) in text.char_indices() {
        let f = fold_simple(c)?;
        if f == c && !c.is_whitespace() {
            continue;
        }
        out.push_str(&text[run..i]);
        run = i + c.len_utf8();
        if !f.is_whitespace() {
            out.push(f);
        }
    }
    out.push_str(&text[run..]);
    Some(out)
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct LabelFile {
    pub(crate) field: Vec<FieldDef>,
    #[serde(default)]
    pub(crate) meaning: Option<Meaning>,
}

/// One field of the alias table.
#[derive(Debug, Clone, Deserialize)]
pub struct FieldDef {
    /// The field id (`project.name`, `grid.value`, …).
    pub id: String,
    /// The official label.
    pub label: String,
    /// Other wordings.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// How a label matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelMatch {
    /// The official wording.
    Exact,
    /// Another wording from the alias table.
    Alias,
    /// A cut-off label, completed.
    Truncated,
    /// A wording no list holds, read from the words it is made of (`项目主管部门`).
    Meaning,
}

/// The alias table, ready for lookups.
#[derive(Debug)]
pub struct Labels {
    fields: Vec<FieldDef>,
    /// Labels by meaning.
    meaning: &'static Meaning,
    by_norm: FastMap<String, (usize, LabelMatch)>,
    /// Every proper prefix of a wording (at least [`MIN_TRUNCATED`] characters), with the one
    /// field whose wordings it starts, or `None` when it starts two fields' wordings. One hash
    /// lookup per cell instead of a scan of every wording.
    prefixes: FastMap<String, Option<usize>>,
    /// The field each label core read by meaning gave (`None`: no field), so that a wording
    /// met again — every table of a workbook prints the same labels — is scored once. At
    /// most [`MEANING_MEMO`] cores are kept: memory stays flat over any number of files.
    meaning_memo: Mutex<FastMap<String, Option<usize>>>,
}

/// The most label cores [`Labels`] remembers the meaning of.
const MEANING_MEMO: usize = 4096;

impl Labels {
    /// The alias table shipped with the crate.
    pub fn builtin() -> &'static Labels {
        static LABELS: OnceLock<Labels> = OnceLock::new();
        LABELS.get_or_init(|| {
            // The file is part of the crate and checked by tests; a broken one is a build bug.
            #[allow(clippy::expect_used)]
            Labels::from_toml(LABELS_TOML).expect("templates/labels.toml is valid")
        })
    }

    /// Parses an alias table.
    ///
    /// # Errors
    /// When the TOML does not have the shape of `templates/labels.toml`.
    pub fn from_toml(text: &str) -> Result<Labels, toml::de::Error> {
        let file: LabelFile = toml::from_str(text)?;
        let mut labels = Labels::from_fields(file.field);
        if let Some(m) = file.meaning {
            labels.meaning = Box::leak(Box::new(m.normalized()));
        }
        Ok(labels)
    }

    /// An alias table from field definitions, read by the built-in meaning rules; the first
    /// definition of a wording wins.
    pub(crate) fn from_fields(fields: Vec<FieldDef>) -> Labels {
        let mut by_norm = FastMap::default();
        let mut norms = Vec::new();
        for (i, f) in fields.iter().enumerate() {
            let official = normalize_label(&f.label);
            norms.push((official.clone(), i));
            by_norm.entry(official).or_insert((i, LabelMatch::Exact));
            for a in &f.aliases {
                let n = normalize_label(a);
                norms.push((n.clone(), i));
                by_norm.entry(n).or_insert((i, LabelMatch::Alias));
            }
        }
        // A prefix is ambiguous when it starts the wordings of two fields, not of two
        // definitions of one field: a profile's funding line and the common table may both
        // define `funding.transfer.regional` (a drafted profile names its form's 自治区资金),
        // and a cut 自治区资 is still that one line.
        let mut prefixes: FastMap<String, Option<usize>> = FastMap::default();
        for (n, i) in &norms {
            for (at, _) in n.char_indices().skip(MIN_TRUNCATED) {
                prefixes
                    .entry(n[..at].to_string())
                    .and_modify(|hit| {
                        if hit.is_some_and(|h| fields[h].id != fields[*i].id) {
                            *hit = None;
                        }
                    })
                    .or_insert(Some(*i));
            }
        }
        Labels {
            fields,
            meaning: Meaning::builtin(),
            by_norm,
            prefixes,
            meaning_memo: Mutex::default(),
        }
    }

    /// Every field definition, in table order.
    pub fn fields(&self) -> &[FieldDef] {
        &self.fields
    }

    /// The field with this id.
    pub fn field(&self, id: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// Finds the field a cell's text labels, if any.
    pub fn lookup(&self, text: &str) -> Option<(&FieldDef, LabelMatch)> {
        if self.too_long(text) {
            return None;
        }
        self.lookup_normalized(&normalize_label(text))
    }

    /// [`Labels::lookup`] of a text whose [`normalize_label`] is known (`norm`): the reader
    /// normalises each cell once per sheet.
    pub(crate) fn lookup_known(&self, text: &str, norm: &str) -> Option<(&FieldDef, LabelMatch)> {
        if self.too_long(text) {
            return None;
        }
        self.lookup_normalized(norm)
    }

    fn lookup_normalized(&self, norm: &str) -> Option<(&FieldDef, LabelMatch)> {
        if norm.is_empty() {
            return None;
        }
        self.listed(norm).or_else(|| self.by_meaning(norm))
    }

    /// Whether a label's own words name the field: its official wording, or a wording the
    /// meaning rules read as that field (`申报单位名称` names the implementing unit; `预算单位`,
    /// a listed alias, says whose budget, not who carries the project out).
    pub fn says(&self, id: &str, label: &str) -> bool {
        let norm = normalize_label(label);
        let official = self
            .field(id)
            .is_some_and(|f| normalize_label(&f.label) == norm);
        official
            || self
                .meaning
                .core(&norm)
                .is_some_and(|core| self.meaning.field(&core) == Some(id))
    }

    /// The level of government a label opens with (`中央…` 0, `省级…` 1, … from the meaning
    /// rules' `tiers`), when it opens with one.
    pub fn tier(&self, label: &str) -> Option<usize> {
        self.meaning.tier(&normalize_label(label))
    }

    /// A normalised label read by what it says: the listed wording its core is (`主管部门及其
    /// 编码` → `主管部门`), or the field the meaning rules give it; else the same read of the
    /// label with a word a form prints in place of another replaced (`专项属性` → `项目属性`),
    /// never a group's heading (`专项资金` is no `项目资金` block).
    fn by_meaning(&self, norm: &str) -> Option<(&FieldDef, LabelMatch)> {
        if let Some(hit) = self.by_core(norm) {
            return Some(hit);
        }
        self.meaning.alike(norm).find_map(|alt| {
            let hit = match self.listed(&alt) {
                Some((f, how)) if how != LabelMatch::Truncated => Some(f),
                Some(_) => None,
                None => self.by_core(&alt).map(|(f, _)| f),
            };
            hit.filter(|f| !f.id.starts_with("group."))
                .map(|f| (f, LabelMatch::Meaning))
        })
    }

    /// [`Labels::by_meaning`] of the label as printed.
    fn by_core(&self, norm: &str) -> Option<(&FieldDef, LabelMatch)> {
        let core = self.meaning.core(norm)?;
        if core != norm {
            if let Some((f, _)) = self.listed(&core) {
                return Some((f, LabelMatch::Meaning));
            }
        }
        // A listed line's wording after a word naming its span (`当年其他资金`), unless a rule
        // reads the whole label (`当年资金总额` is the year's total, not a 资金总额 line).
        if let Some(rest) = self.meaning.after_span(&core) {
            let whole = self
                .meaning
                .field_cover(&core)
                .is_some_and(|(_, cover)| cover >= 100);
            let line = self
                .listed(rest)
                .filter(|(f, how)| *how != LabelMatch::Truncated && f.id.starts_with("funding."));
            if let (false, Some((f, _))) = (whole, line) {
                return Some((f, LabelMatch::Meaning));
            }
        }
        let remembered = self
            .meaning_memo
            .lock()
            .ok()
            .and_then(|memo| memo.get(&core).copied());
        let index = match remembered {
            Some(index) => index,
            None => {
                let index = self
                    .meaning
                    .field(&core)
                    .and_then(|id| self.fields.iter().position(|f| f.id == id));
                if let Ok(mut memo) = self.meaning_memo.lock() {
                    if memo.len() < MEANING_MEMO {
                        memo.insert(core, index);
                    }
                }
                index
            }
        };
        index.map(|i| (&self.fields[i], LabelMatch::Meaning))
    }

    /// Longer than any label (24 characters), a note in brackets at its end aside when what
    /// precedes it is as short as a label read by meaning
    /// (`项目绩效目标(含项目概况、设立依据、必要性及预期目标)`: the label is what precedes it;
    /// a sentence before a note, `年度总体绩效目标和指标中出现的年份是本表年度（…）`, is none).
    fn too_long(&self, text: &str) -> bool {
        const MAX: usize = 24;
        if text.chars().count() <= MAX {
            return false;
        }
        let t = text.trim_end();
        if !t.ends_with([')', '）']) {
            return true;
        }
        t.find(['(', '（']).is_none_or(|at| {
            at == 0 || t[..at].trim_end().chars().count() > self.meaning.max_chars()
        })
    }

    /// A normalised label that one of the wordings lists.
    fn listed(&self, norm: &str) -> Option<(&FieldDef, LabelMatch)> {
        if let Some((i, how)) = self.by_norm.get(norm) {
            return Some((&self.fields[*i], how.clone()));
        }
        // A unit in brackets after the label (`项目总额(万元)`): the reader reads the unit itself.
        for unit in ["(万元)", "(元)"] {
            if let Some(bare) = norm.strip_suffix(unit) {
                if let Some((i, how)) = self.by_norm.get(bare) {
                    return Some((&self.fields[*i], how.clone()));
                }
            }
        }
        // A note in brackets after the label (`中期目标（2026年－2028年）`).
        if let Some(at) = norm.find('(').filter(|_| norm.ends_with(')')) {
            if let Some((i, how)) = self.by_norm.get(&norm[..at]) {
                return Some((&self.fields[*i], how.clone()));
            }
        }
        // A truncated label: a prefix of exactly one field's wordings.
        let i = (*self.prefixes.get(norm)?)?;
        Some((&self.fields[i], LabelMatch::Truncated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::{IndicatorClass, Layout};

    fn id(text: &str) -> Option<(String, LabelMatch)> {
        Labels::builtin()
            .lookup(text)
            .map(|(f, m)| (f.id.clone(), m))
    }

    #[test]
    fn labels_with_drift() {
        let exact = |s: &str, want: &str| {
            assert_eq!(id(s).map(|x| x.0).as_deref(), Some(want), "{s}");
        };
        exact("项 目 名 称", "project.name");
        exact("项目名称：", "project.name");
        exact("项目支出名称", "project.name");
        exact("年度总体\n绩效目标", "goal");
        exact("年度总体 绩效目标", "goal");
        exact("其中： 转移市县 (区)资金", "group.transfer");
        exact("其中： 转移市县（区） 资金", "group.transfer");
        exact("其中：年度资金总额", "funding.annual_total");
        exact("主管部门及代码", "project.department");
        exact("项目资金（万元）", "group.funds");
        exact("上年结转资金", "funding.own.carryover");
        exact("年度总体目标", "goal");
        assert_eq!(
            id("自治区资"),
            Some(("funding.transfer.regional".into(), LabelMatch::Truncated))
        );
        assert_eq!(id("项目名称").map(|x| x.1), Some(LabelMatch::Exact));
        assert_eq!(id("项目支出名称").map(|x| x.1), Some(LabelMatch::Alias));
        // Values are not labels.
        assert_eq!(id("宁夏网络安全服务项目"), None);
        assert_eq!(id("经常性项目"), None);
        assert_eq!(id("45"), None);
        assert_eq!(id("项目"), None);
    }

    /// Which labels' own words name the implementing unit: the official wording and the
    /// wordings read by meaning, not an alias that names another unit (`预算单位`).
    #[test]
    fn a_label_says_its_field_by_its_own_words() {
        let l = Labels::builtin();
        let f = "project.implementing_unit";
        for yes in [
            "实施单位",
            "实施单位：",
            "项目执行单位",
            "申报单位名称",
            "项目承担单位",
        ] {
            assert!(l.says(f, yes), "{yes}");
        }
        for no in ["预算单位", "填报单位", "编制单位", "主管部门", "单位"] {
            assert!(!l.says(f, no), "{no}");
        }
        assert!(l.says("project.department", "项目主管部门"));
    }

    /// A cut label is read when two definitions of one field start with it (a profile's
    /// funding line and the common table's field), and not when two fields' wordings do.
    #[test]
    fn a_cut_label_of_one_field_defined_twice() {
        let def = |id: &str, label: &str| FieldDef {
            id: id.into(),
            label: label.into(),
            aliases: Vec::new(),
        };
        let labels = Labels::from_fields(vec![
            def("funding.transfer.regional", "自治区资金"),
            def("funding.transfer.regional", "自治区资金"),
            def("funding.own.fiscal", "财政拨款资金"),
            def("funding.own.other", "财政拨款以外资金"),
        ]);
        let hit = labels.lookup("自治区资").map(|(f, m)| (f.id.clone(), m));
        assert_eq!(
            hit,
            Some(("funding.transfer.regional".into(), LabelMatch::Truncated))
        );
        // Listed by no wording (the meaning rules aside): two fields start with it.
        assert!(labels.listed(&normalize_label("财政拨款")).is_none());
    }

    /// [`normalize_label`] as it was written first (whole-string folds, then a copy).
    fn normalize_label_by_char(text: &str) -> String {
        let squeeze = |s: &str| -> String {
            fold_width(s)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        let simple: Option<String> = text
            .chars()
            .map(fold_simple)
            .filter(|c| !c.is_some_and(char::is_whitespace))
            .collect();
        let folded = simple.unwrap_or_else(|| squeeze(&squeeze(text)));
        let mut s = folded.as_str();
        loop {
            let before = s;
            s = s.strip_prefix("其中:").unwrap_or(s);
            s = s.strip_prefix("其中").unwrap_or(s);
            s = s.trim_end_matches([':', '*']);
            s = s.trim_start_matches('*');
            if s == before {
                break;
            }
        }
        s.to_string()
    }

    proptest::proptest! {
        #[test]
        fn normalize_label_copies_runs_as_one_char_at_a_time_would(
            text in r"([ \t\n\u{3000}*:：]|其中|[a-zA-Z0-9]|[项目（）资金、]|[\u{ff01}-\u{ff5e}]|\PC){0,24}"
        ) {
            proptest::prop_assert_eq!(normalize_label(&text), normalize_label_by_char(&text));
        }
    }

    #[test]
    fn levels_of_government_a_label_opens_with() {
        let labels = Labels::builtin();
        let tier = |s: &str| labels.tier(s);
        assert_eq!(tier("中央主管部门"), Some(0));
        assert_eq!(tier("省级主管部门"), Some(1));
        assert_eq!(tier("自治区主管部门"), Some(1));
        assert_eq!(tier("市级主管部门"), Some(2));
        // The longest word decides: 区县 and 市县 are the county level, not 区 / 市.
        assert_eq!(tier("区县主管部门"), Some(3));
        assert_eq!(tier("市县主管部门"), Some(3));
        assert_eq!(tier("乡镇主管部门"), Some(4));
        assert!(tier("区县主管部门") > tier("中央主管部门"));
        assert_eq!(tier("主管部门"), None);
        assert_eq!(tier("项目主管部门"), None);
    }

    #[test]
    fn labels_by_meaning() {
        let meaning = |s: &str, want: Option<&str>| {
            let got = id(s);
            assert_eq!(got.as_ref().map(|x| x.0.as_str()), want, "{s}");
            if want.is_some() {
                assert_eq!(got.map(|x| x.1), Some(LabelMatch::Meaning), "{s}");
            }
        };
        // Wordings no list holds land on their field.
        meaning("主管预算部门", Some("project.department"));
        meaning("项目主管部门", Some("project.department"));
        meaning("业务主管部门", Some("project.department"));
        meaning("主管部门\n及编码", Some("project.department"));
        meaning("主管部门（单位）名称", Some("project.department"));
        meaning("项目执行单位", Some("project.implementing_unit"));
        meaning("项目承担单位", Some("project.implementing_unit"));
        meaning("申报项目名称", Some("project.name"));
        meaning("专项资金名称", Some("project.name"));
        // A transfer payment's regional table names its fund (区域绩效目标表).
        meaning("资金名称", Some("project.name"));
        // A grid that prints no levels heads its names `指标` (`指标 | 指标权重 | 指标值`).
        meaning("指标", Some("grid.name"));
        meaning("建设周期", Some("project.period"));
        meaning("项目实施年限", Some("project.period"));
        meaning("项目预算金额（万元）", Some("funding.total"));
        meaning("项目总预算", Some("funding.total"));
        meaning("当年年度预算", Some("funding.annual_total"));
        meaning("年度资金申请总额", Some("funding.annual_total"));
        meaning("年度预算资金总额", Some("funding.annual_total"));
        meaning("中期预算资金总额", Some("funding.total"));
        meaning("年度主要目标和成果", Some("goal"));
        meaning("当年绩效目标", Some("goal"));
        meaning("项目中期目标", Some("long_term_goal"));
        meaning("其中：财政拨款数", Some("funding.own.fiscal"));
        meaning("项目负责人及联系电话", Some("meta.manager"));
        // A word printed in place of another: 专项 for 项目.
        meaning("专项属性", Some("project.attribute"));
        meaning("专项立项依据", Some("meta.basis"));
        meaning("专项负责人", Some("meta.manager"));
        meaning("本年度预计投入（万元）", Some("funding.annual_total"));
        meaning("专项资金", None);
        // Two fields are never confused, and what names no field is no label.
        assert_ne!(id("项目支出").map(|x| x.0).as_deref(), Some("project.name"));
        let listed = |s: &str| id(s).map(|x| x.0);
        assert_eq!(
            listed("部门预算编码").as_deref(),
            Some("project.department_code")
        );
        assert_eq!(
            listed("主管部门审核意见").as_deref(),
            Some("meta.department_opinion")
        );
        meaning("业务主管部门意见", None);
        meaning("绩效编制单位", None);
        meaning("市财政资金", None);
        meaning("服务对象满意度", None);
        meaning("道路硬化里程", None);
        meaning("2023年度预算", None);
        meaning("年度预算执行率", None);
        meaning("社会效益指标", None);
        meaning("指标数", None);
        assert_eq!(listed("绩效指标").as_deref(), Some("grid.title.annual"));
        // A total closing its lines, whatever its words before the head.
        meaning("资金总计", Some("funding.sum"));
        meaning("资金合计", Some("funding.sum"));
        meaning("经费小计", Some("funding.sum"));
        meaning("权重合计", None);
        meaning("分值总计", None);
    }

    #[test]
    fn framework_vocabulary() {
        let fw = Framework::builtin();
        assert_eq!(fw.level1("产出指标"), Some("产出指标"));
        assert_eq!(fw.level1("效 益 指 标"), Some("效益指标"));
        assert_eq!(
            fw.level2_in("社会效益", Layout::Classic).map(|d| d.class),
            Some(IndicatorClass::Social)
        );
        assert_eq!(
            fw.level2_in("经济效益指标", Layout::National)
                .map(|d| d.parent.as_str()),
            Some("效益指标")
        );
        assert_eq!(
            fw.level2_in("成本指标", Layout::Classic)
                .map(|d| d.parent.as_str()),
            Some("产出指标")
        );
        assert!(fw.level2("网络安全宣传周项目").is_empty());
        assert_eq!(
            fw.required(Layout::National).map(|r| r.level1.len()),
            Some(4)
        );
    }

    /// A level is classed with its remark in brackets set aside, however bracketed and
    /// wherever it stands; a name all in brackets, or a remark on no level, is still unknown.
    #[test]
    fn levels_with_a_remark_in_brackets() {
        let fw = Framework::builtin();
        let class = |t: &str| fw.level2(t).first().map(|d| d.class);
        for (remark, open, close) in [
            ("必填", "(", ")"),
            ("选填", "（", "）"),
            ("必填硬性指标", "【", "】"),
            ("30分", "[", "]"),
        ] {
            for (name, want) in [
                ("时效指标", IndicatorClass::Timeliness),
                ("数量指标", IndicatorClass::Quantity),
                ("社会效益", IndicatorClass::Social),
                ("服务对象满意度指标", IndicatorClass::Satisfaction),
            ] {
                let after = format!("{name}{open}{remark}{close}");
                assert_eq!(class(&after), Some(want), "{after}");
                let spaced = format!("{name} {open}{remark}{close} ");
                assert_eq!(class(&spaced), Some(want), "{spaced}");
            }
            let l1 = format!("效益指标{open}{remark}{close}");
            assert_eq!(fw.level1(&l1), Some("效益指标"), "{l1}");
            let none = format!("{open}{remark}{close}");
            assert!(fw.level2(&none).is_empty(), "{none}");
            let other = format!("网络安全宣传周项目{open}{remark}{close}");
            assert!(fw.level2(&other).is_empty(), "{other}");
        }
        assert_eq!(fw.level1("成本指标(0-20)分"), Some("成本指标"));
        assert_eq!(
            class("数量指标(或建筑规模指标)"),
            Some(IndicatorClass::Quantity)
        );
    }
}
