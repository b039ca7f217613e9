//! From a map to a profile (`jixiao profile draft`): a form profile written from one workbook of
//! a form, for a finance office whose form no built-in profile knows.
//!
//! The draft `extends` the profile the form read best with, takes its `[detect]` words from the
//! form's own title and labels, writes every label the reader understood as a `[[field]]` /
//! `[[funding]]` entry in the form's own wording (so that converted forms print it), and a
//! commented `TODO` for every cell the reader did not understand, saying where it is and how an
//! entry for it is written. Filled in and put in a `jixiao-profiles` folder beside the forms,
//! it is used without any option.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::model::{Document, FundingLine, FundingScope, Table};
use crate::read::profile::Profile;
use crate::read::values::collapse_spaces;

/// A profile id made of the ASCII letters and digits of `name`, or `draft`.
fn id_of(name: &str) -> String {
    let id: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect::<String>()
        .to_lowercase();
    if id.is_empty() || !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        "draft".into()
    } else {
        id
    }
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The title's words without the year (`鄂州市2026年市直部门预算项目支出绩效目标表` →
/// `市直部门预算项目支出绩效目标表`): the longest run of it between years and brackets.
fn title_words(title: &str) -> Option<String> {
    let t = collapse_spaces(title);
    let mut best = String::new();
    let mut cur = String::new();
    for c in t.chars() {
        let breaks = c.is_ascii_digit()
            || matches!(c, '(' | ')' | '（' | '）' | ' ' | '　')
            || (c == '年' && cur.is_empty())
            || (c == '度' && cur.is_empty());
        if breaks {
            if cur.chars().count() > best.chars().count() {
                best = std::mem::take(&mut cur);
            } else {
                cur.clear();
            }
        } else {
            cur.push(c);
        }
    }
    if cur.chars().count() > best.chars().count() {
        best = cur;
    }
    (best.chars().count() >= 4 && best.contains('表')).then_some(best)
}

/// A cell's text looks like a label: short, no digits, not a sentence.
fn looks_like_label(text: &str) -> bool {
    let t = text.trim();
    let n = t.chars().count();
    (2..=16).contains(&n)
        && !t.chars().any(|c| c.is_ascii_digit())
        && !t.contains(['。', '；', ';', '，'])
}

/// Writes a draft profile for the form of `doc`'s first table (tables of other forms in the
/// same workbook are listed in a comment). `name` names the profile (its id is made of its
/// ASCII letters, else `draft`). `None` when the document holds no table.
pub fn draft(doc: &Document, name: &str) -> Option<String> {
    let t = doc.tables.first()?;
    let base: &Profile = &t.profile;
    let mut out = preamble(doc, t, name);
    out.push_str(&detect_labels(t, base));
    // The wording converted forms print: (field, label as the form prints it).
    let mut wording: Vec<(String, String)> = Vec::new();
    out.push_str(&field_entries(t, base, &mut wording));
    out.push_str(&grid_entries(t));
    out.push_str(&funding_entries(t, base, &mut wording));
    out.push_str(&todo_section(t));
    out.push_str(&wording_section(wording));
    Some(out)
}

/// The comments saying what the draft is, its id, base and name, and the `[detect]` title.
fn preamble(doc: &Document, t: &Table, name: &str) -> String {
    let base = &t.profile;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# 表样配置草稿，由 jixiao profile draft 根据 {} 生成。",
        t.source.file
    );
    let _ = writeln!(
        out,
        "# 逐条核对；把 TODO 处理完后，放进表格旁的 jixiao-profiles 文件夹，读取时自动使用（不需要任何选项）。"
    );
    let _ = writeln!(
        out,
        "# 以内置表样“{}”（{}）为基础：本文件只写与它不同之处，其余沿用。",
        base.name, base.id
    );
    let others: BTreeSet<&str> = doc
        .tables
        .iter()
        .skip(1)
        .filter(|o| o.profile != t.profile)
        .map(|o| o.profile.id.as_str())
        .collect();
    if !others.is_empty() {
        let _ = writeln!(
            out,
            "# 注意：同一工作簿中另有按其他表样读取的表（{}），本草稿只依据第一张表。",
            others.into_iter().collect::<Vec<_>>().join("、")
        );
    }
    out.push('\n');
    let _ = writeln!(out, "id = {}", quoted(&id_of(name)));
    let _ = writeln!(out, "extends = {}", quoted(&base.id));
    let _ = writeln!(out, "name = {}", quoted(name));
    if let Some(words) = title_words(&t.title) {
        let title = collapse_spaces(&t.title);
        let with_year = t
            .year
            .map(|y| title.replacen(&format!("{y}"), "{year}", 1))
            .filter(|s| s.contains("{year}"));
        if let Some(tpl) = with_year {
            let _ = writeln!(out, "title = {}", quoted(&tpl));
        }
        out.push_str("\n[detect]\n");
        let _ = writeln!(out, "title = [{}]", quoted(&words));
    } else {
        out.push_str("\n[detect]\n");
    }
    out
}

/// `[detect] labels`: the form's own labels that vote for it, those the common vocabulary does
/// not know as they are written (a generic 项目名称 would make every form vote for this
/// profile), at most 8.
fn detect_labels(t: &Table, base: &Profile) -> String {
    let common = crate::read::labels::Labels::builtin();
    let distinctive = |l: &str| {
        !l.is_empty()
            && !matches!(l, "合计" | "小计" | "总计" | "其中")
            && common
                .lookup(l)
                .is_none_or(|(_, m)| m != crate::read::labels::LabelMatch::Exact)
    };
    let base_words: BTreeSet<String> = base.detect.labels.iter().cloned().collect();
    let mut labels: Vec<String> = Vec::new();
    let inline: Vec<String> = t
        .cells
        .values()
        .map(|s| label_part(&s.label, &s.raw))
        .collect();
    let printed = inline
        .into_iter()
        .chain(
            t.funding
                .lines
                .iter()
                .filter(|l| !l.key.is_empty())
                .map(|l| label_part(&l.label, &l.raw)),
        )
        .chain(t.columns.iter().map(|c| c.header.clone()));
    for label in printed {
        let l = collapse_spaces(&label).trim().to_string();
        if distinctive(&l) && !base_words.contains(&l) && !labels.contains(&l) {
            labels.push(l);
        }
    }
    labels.truncate(8);
    format!("labels = [{}]\n", quoted_list(&labels))
}

/// One `[[field]]` per header field, in the form's own wording (a label the base reads as
/// another field is left to the base).
fn field_entries(t: &Table, base: &Profile, wording: &mut Vec<(String, String)>) -> String {
    let mut out = String::new();
    for (field, source) in &t.cells {
        if field == "title" || field == "year" || field.starts_with("funding.") {
            continue;
        }
        let label = label_part(&source.label, &source.raw);
        let reads_as_another = base
            .labels()
            .lookup(&label)
            .is_some_and(|(d, _)| d.id != *field);
        if label.is_empty() || reads_as_another {
            continue;
        }
        let _ = writeln!(
            out,
            "\n# {}：{}（{}）\n[[field]]\nid = {}\nlabel = {}",
            t.source.sheet,
            source.cell,
            clip(&source.raw),
            quoted(field),
            quoted(&label)
        );
        wording.push((field.clone(), label));
    }
    out
}

/// One `[[field]]` per grid column header the reader knows the role of.
fn grid_entries(t: &Table) -> String {
    let mut out = String::new();
    for col in &t.columns {
        let id = match col.role.as_str() {
            "level1" | "level2" | "name" | "value" | "nature" | "unit" | "weight" => {
                format!("grid.{}", col.role)
            }
            _ => continue,
        };
        let header = collapse_spaces(&col.header).trim().to_string();
        if header.is_empty() {
            continue;
        }
        let at = col.cell.map(|c| c.to_string()).unwrap_or_default();
        let _ = writeln!(
            out,
            "\n# 指标表列名 {at}\n[[field]]\nid = {}\nlabel = {}",
            quoted(&id),
            quoted(&header)
        );
    }
    out
}

/// Funding lines as printed, with their place in the tree: one entry per key, every label the
/// form prints for it (lines of other columns, such as a past year's actuals, are the same
/// lines in another scope).
fn funding_entries(t: &Table, base: &Profile, wording: &mut Vec<(String, String)>) -> String {
    let mut out = String::new();
    let mut keys: Vec<&str> = Vec::new();
    for line in t.funding.lines.iter().filter(|l| !l.key.is_empty()) {
        if !keys.contains(&line.key.as_str()) {
            keys.push(&line.key);
        }
    }
    for key in keys {
        let lines: Vec<&FundingLine> = t.funding.lines.iter().filter(|l| l.key == key).collect();
        let def = base.funding_by_key(key);
        let labels = funding_labels(base, def, &lines, key);
        let Some(first) = lines
            .iter()
            .find(|l| l.scope != FundingScope::Other)
            .or(lines.first())
        else {
            continue;
        };
        let at = first.cell.map(|c| c.to_string()).unwrap_or_default();
        let _ = write!(
            out,
            "\n# 资金 {at}（{}）\n[[funding]]\nkey = {}\nlabels = [{}]\n",
            first.raw.trim(),
            quoted(key),
            quoted_list(&labels)
        );
        if let Some(field) = def.and_then(|d| d.field.as_deref()) {
            let _ = writeln!(out, "field = {}", quoted(field));
        }
        let parent = first
            .parent
            .and_then(|p| t.funding.lines.get(p))
            .map(|p| p.key.clone())
            .filter(|k| !k.is_empty())
            .or_else(|| def.and_then(|d| d.parent.clone()));
        if let Some(parent) = parent {
            let _ = writeln!(out, "parent = {}", quoted(&parent));
        }
        let role = def.and_then(|d| d.role.clone()).or_else(|| {
            (first.scope != FundingScope::Other)
                .then(|| first.role.clone())
                .flatten()
        });
        if let Some(role) = role {
            let _ = writeln!(out, "role = {}", quoted(&role));
        }
        if let Some(scope) = def.and_then(|d| d.scope) {
            let scope = match scope {
                FundingScope::Annual => "annual",
                FundingScope::MidTerm => "mid-term",
                FundingScope::Other => "other",
            };
            let _ = writeln!(out, "scope = {}", quoted(scope));
        }
        if let Some(label) = labels.first() {
            wording.push((format!("funding.{key}"), label.clone()));
        }
    }
    out
}

/// A funding entry's labels: the form's wordings first, then the base profile's for the same
/// line (an entry with the base's key replaces the base's entry: nothing it read may be lost).
/// A printed label the base reads as another field (a group label such as 其中：本级资金 over
/// its 资金总额 row) stays the base's: naming it here would change the reading.
fn funding_labels(
    base: &Profile,
    def: Option<&crate::read::profile::FundingDef>,
    lines: &[&FundingLine],
    key: &str,
) -> Vec<String> {
    let field_id = def.map_or_else(|| format!("funding.{key}"), |d| d.field_id());
    let own = |label: &str| {
        base.labels()
            .lookup(label)
            .is_none_or(|(d, _)| d.id == field_id)
    };
    let mut labels: Vec<String> = Vec::new();
    let printed = lines
        .iter()
        .map(|l| label_part(&l.label, &l.raw))
        .filter(|l| own(l));
    for label in printed.chain(def.into_iter().flat_map(|d| d.labels.iter().cloned())) {
        if !label.is_empty() && !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels
}

/// What the reader did not understand, as TODO comments saying how to place it.
fn todo_section(t: &Table) -> String {
    let todo = todo_lines(t);
    if todo.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n# ---- TODO：读取时未识别的单元格（jixiao explain 可看到它们在表中的位置）----\n",
    );
    out.push_str(
        "# 是表头字段的标签：写一条 [[field]]（id 为字段名，如 project.department，label 为表中的文字）；\n\
         # 是资金行：写一条 [[funding]]（key、labels、parent、role）；只是说明文字：删去这一行即可。\n",
    );
    for line in todo {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `[wording]`: the labels converted forms print, the first per field.
fn wording_section(wording: Vec<(String, String)>) -> String {
    if wording.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n[wording]\n");
    let mut seen = BTreeSet::new();
    for (field, label) in wording {
        if seen.insert(field.clone()) {
            let _ = writeln!(out, "{} = {}", quoted(&field), quoted(&label));
        }
    }
    out
}

/// TOML strings, comma-separated.
fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|l| quoted(l))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The label of a label | value pair as printed: for a label and its value typed in one cell
/// (`部门（单位）名称：[126]某厅`), the part before the colon.
fn label_part(label: &str, raw: &str) -> String {
    let label = collapse_spaces(label).trim().to_string();
    let raw = collapse_spaces(raw).trim().to_string();
    if !raw.is_empty() && label.ends_with(&raw) {
        if let Some((head, _)) = label.split_once(['：', ':']) {
            return head.trim().to_string();
        }
    }
    label
}

fn clip(s: &str) -> String {
    let s = collapse_spaces(s);
    let t = s.trim();
    if t.chars().count() > 24 {
        format!("{}…", t.chars().take(24).collect::<String>())
    } else {
        t.to_string()
    }
}

/// One TODO comment per cell not understood, labels first.
fn todo_lines(t: &Table) -> Vec<String> {
    let mut labels = Vec::new();
    let mut others = Vec::new();
    // Labels no field answers to, kept with their values as metadata under the printed label.
    for m in t.metadata.iter().filter(|m| m.key.is_empty()) {
        let label = collapse_spaces(&m.label).trim().to_string();
        if label.is_empty() {
            continue;
        }
        let at = m
            .cell
            .map(|c| format!("{}!{c}", t.source.sheet))
            .unwrap_or_else(|| t.source.sheet.clone());
        labels.push(format!(
            "# TODO 未识别的标签 {}：其值在 {at}（{}）",
            quoted(&label),
            quoted(&clip(&m.value))
        ));
    }
    for x in &t.extra {
        let text = collapse_spaces(&x.value).trim().to_string();
        if text.is_empty() {
            continue;
        }
        let under = if x.label.is_empty() {
            String::new()
        } else {
            format!("，在“{}”下", collapse_spaces(&x.label).trim())
        };
        if looks_like_label(&text) {
            labels.push(format!(
                "# TODO 未识别的标签 {}!{}：{}{under}",
                t.source.sheet,
                x.cell,
                quoted(&text)
            ));
        } else {
            others.push(format!(
                "# TODO 未识别的内容 {}!{}：{}{under}",
                t.source.sheet,
                x.cell,
                quoted(&clip(&text))
            ));
        }
    }
    labels.extend(others);
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_words_leave_the_year_out() {
        assert_eq!(
            title_words("鄂州市2026年市直部门预算项目支出绩效目标表").as_deref(),
            Some("市直部门预算项目支出绩效目标表")
        );
        assert_eq!(
            title_words("项目支出绩效目标表（2026年度）").as_deref(),
            Some("项目支出绩效目标表")
        );
        assert_eq!(title_words("2026"), None);
    }

    #[test]
    fn ids_and_strings() {
        assert_eq!(id_of("gansu 甘肃"), "gansu");
        assert_eq!(id_of("甘肃"), "draft");
        assert_eq!(quoted("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }

    #[test]
    fn a_draft_of_every_sample_parses_as_a_profile() {
        for name in ["national.xlsx", "yuan.xlsx", "seed-one-per-sheet.xlsx"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("samples")
                .join(name);
            let doc = crate::read::read_file(&path).expect("reads");
            let text = draft(&doc, "test").expect("a table");
            let p = crate::read::Profile::from_toml(&text)
                .unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
            assert_eq!(p.id, "test");
            assert_eq!(
                p.extends.as_deref(),
                Some(doc.tables[0].profile.id.as_str())
            );
        }
    }
}
