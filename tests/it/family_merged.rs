//! The generated family with its levels merged down their rows (issue 19: merged cells), as
//! most published forms print them: the 一级 and 二级 of a run of rows typed once, in the run's
//! first row, the rows under it carrying nothing in those columns. Half the tables are of the
//! 2015 national template (中央部门项目支出绩效目标申报表), which lists satisfaction as the last
//! 二级 of 效益指标 (`社会公众或服务对象满意度指标`, merged down its rows under the 效益 cell):
//! a 一级 carried down from above would yield to the 满意度 the vocabulary places it under,
//! where the merged 效益 cell says otherwise. Every table must read exactly (the merged level
//! where it applies) and, being correct, draw no error and no warning.
//!
//! `JIXIAO_MERGED=N` generates N tables instead of the default; `JIXIAO_FAMILY_DUMP=dir`
//! writes the failing ones there to open.

use jixiao::model::{IndicatorClass, Severity};

use super::family::{differences, generate, render, shape, Ind, Rng, Shape, Spec, SATISFIED};

/// Tables per run.
const TABLES: u64 = 100;

/// The satisfaction 二级 as the 2015 template and its local copies word it under 效益指标.
const UNDER_BENEFIT: &[&str] = &["社会公众或服务对象满意度指标", "服务对象满意度指标"];

/// A table with its levels merged down (from a seed of its own, after the family's).
fn merged(seed: u64) -> (Spec, Shape) {
    let mut r = Rng::new(seed ^ 0x3E46);
    let mut spec = generate(seed);
    let mut sh = shape(seed);
    sh.merge_levels = true;
    if r.chance(50) {
        // The 2015 template: satisfaction under 效益指标, sometimes over two rows (the 二级
        // merged down them too).
        sh.every_level2 = false;
        let wording = r.pick(UNDER_BENEFIT);
        let mut rows: Vec<Ind> = Vec::new();
        for ind in spec
            .indicators
            .iter_mut()
            .filter(|i| i.class == IndicatorClass::Satisfaction)
        {
            ind.level1 = "效益指标";
            ind.level2 = wording;
            if r.chance(60) {
                let mut second = ind.clone();
                second.name = SATISFIED
                    .iter()
                    .find(|n| **n != ind.name)
                    .copied()
                    .unwrap_or("学生家长满意度");
                rows.push(second);
            }
        }
        spec.indicators.extend(rows);
        // Weights totalling 100 again: 5 to each but the first, which takes the rest.
        let n = spec.indicators.len() as u32;
        for (i, ind) in spec.indicators.iter_mut().enumerate() {
            ind.weight = if i == 0 { 100 - 5 * (n - 1) } else { 5 };
        }
    }
    (spec, sh)
}

#[test]
fn merged_levels_read_exactly_without_false_alarms() {
    let n = std::env::var("JIXIAO_MERGED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(TABLES);
    let dump = std::env::var_os("JIXIAO_FAMILY_DUMP").map(std::path::PathBuf::from);
    let mut failures = Vec::new();
    let (mut exact, mut quiet) = (0, 0);
    for seed in 0..n {
        let tables = vec![merged(seed)];
        let bytes = render(&tables);
        let name = format!("merged-{seed}.xlsx");
        let doc = match jixiao::read_bytes(std::path::Path::new(&name), &bytes) {
            Ok(doc) => doc,
            Err(e) => {
                failures.push(format!("{name}: refused: {e}"));
                continue;
            }
        };
        let (spec, sh) = &tables[0];
        let diffs: Vec<String> = match doc.tables.as_slice() {
            [t] => differences(spec, sh, t),
            ts => vec![format!("{} tables read, want 1", ts.len())],
        };
        let alarms: Vec<String> = jixiao::check(&doc)
            .into_iter()
            .filter(|x| x.severity != Severity::Info)
            .map(|x| format!("{:?} {} {:?} {}", x.severity, x.rule, x.cell, x.message))
            .collect();
        exact += usize::from(diffs.is_empty());
        quiet += usize::from(alarms.is_empty());
        if !diffs.is_empty() || !alarms.is_empty() {
            if let Some(dir) = &dump {
                std::fs::create_dir_all(dir).expect("dump folder");
                std::fs::write(dir.join(&name), &bytes).expect("dump written");
            }
            failures.push(format!(
                "{name}:\n  {}",
                [diffs, alarms].concat().join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{exact}/{n} read exactly, {quiet}/{n} without a false alarm:\n{}",
        failures.join("\n")
    );
}
