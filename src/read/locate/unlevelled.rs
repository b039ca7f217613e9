//! Grids that print no level columns (`指标名称 | 指标值` only): an indicator's class is told
//! by its name where the framework's words say it (`受益群众满意度` ends with the 满意度 of
//! 满意度指标), else it stays unclassified. No level is made up.

use crate::model::IndicatorClass;
use crate::read::labels::{normalize_label, Framework};

/// The class a name tells by ending with a level's word (a 二级 wording or its 一级's name
/// without `指标`), when every level it may stand for has that one class.
pub(super) fn class_from_name(fw: &Framework, name: &str) -> IndicatorClass {
    let name = normalize_label(name);
    let stem = |w: &str| {
        let n = normalize_label(w);
        n.strip_suffix("指标").map(str::to_string).unwrap_or(n)
    };
    // The 二级 wordings first; the 一级's name only when none of them tells.
    let mut classes: Vec<IndicatorClass> = Vec::new();
    for parents in [false, true] {
        for def in fw.all_level2() {
            let told = if parents {
                ends_with(&name, &stem(&def.parent))
            } else {
                std::iter::once(&def.name)
                    .chain(&def.aliases)
                    .any(|w| ends_with(&name, &stem(w)))
            };
            if told && !classes.contains(&def.class) {
                classes.push(def.class);
            }
        }
        if !classes.is_empty() {
            break;
        }
    }
    match classes.as_slice() {
        [one] => *one,
        _ => IndicatorClass::Unknown,
    }
}

fn ends_with(name: &str, stem: &str) -> bool {
    stem.chars().count() >= 2 && name.ends_with(stem)
}
