//! The rules of self-evaluation and monitoring tables (`selfeval.*`), for the registry.

use crate::check::{Forms, Rule};
use crate::model::Severity;

macro_rules! rule {
    ($konst:ident, $id:literal, $name:literal, $sev:ident, $checks:literal, $example:literal) => {
        #[doc = concat!("`", $id, "`: ", $name, ".")]
        pub(crate) const $konst: Rule = Rule {
            id: $id,
            name: $name,
            severity: Severity::$sev,
            checks: $checks,
            example: $example,
            forms: Forms::Results,
        };
    };
}

rule!(
    SCORE_OVER_WEIGHT,
    "selfeval.score-over-weight",
    "得分超过分值",
    Error,
    "每项指标（和预算执行）的得分不超过其分值（权重）",
    "指标“工程验收合格率”得分 12，超过分值 10"
);
rule!(SCORE_MISMATCH, "selfeval.score-mismatch", "得分与计分规则不符", Error,
    "定量指标的得分等于按表样配置计分规则算出的得分（正向 实际值/指标值×分值，反向按配置的公式，达到指标值记满分；差额超过容差 0.01 分）",
    "指标“维修养护工程处数”实际完成 200处，达到指标值 ≥200处，应得满分 20，表中得分 19.6");
rule!(
    NO_REASON,
    "selfeval.no-reason",
    "扣分未说明原因",
    Warning,
    "得分低于分值的指标，在偏差原因分析及改进措施中说明原因",
    "指标“优良中等路率”得分 9.75（分值 10），未填写偏差原因"
);
rule!(
    ACTUAL_BLANK,
    "selfeval.actual-blank",
    "实际完成值未填",
    Error,
    "有指标值的指标都填写实际完成值",
    "指标“汛前完工率”（指标值 ≥90%）未填写实际完成值"
);
rule!(
    SCORE_BLANK,
    "selfeval.score-blank",
    "得分未填",
    Error,
    "每项指标和预算执行都填写得分",
    "指标“汛前完工率”未填写得分"
);
rule!(
    ACTUAL_NOT_NUMBER,
    "selfeval.actual-not-number",
    "定量指标完成值不是数值",
    Warning,
    "指标值是数值的定量指标，实际完成值也写成数值（而不是“完成”“达成预期指标”）",
    "指标“养护里程”的指标值为 ≥300公里，实际完成值却为“完成”，无法计分"
);
rule!(BAND, "selfeval.band", "定性指标得分不在档次内", Error,
    "定性指标按实际完成情况的档次计分：达成 分值的 80%–100%，部分达成 60%–80%，未达成 60% 以下（档次界限由表样配置给出）",
    "指标“农村居民饮水保障水平”为“达成年度指标”，得分应在 16–20 之间，表中为 12");
rule!(OVER_ACHIEVEMENT, "selfeval.over-achievement", "大幅超额完成未说明", Warning,
    "正向（或等于）指标的实际完成值达到指标值的 1.2 倍（表样配置 over_achievement）以上时说明原因：指标值是否定得偏低",
    "指标“受益人口”实际完成 8万人，是指标值 5万人 的 1.6 倍，未说明原因");
rule!(BUDGET_SCORE, "selfeval.budget-score", "预算执行得分不符", Error,
    "预算执行得分 = 分值 × 执行率（执行数 / 全年预算数，最高 100%）；资金总额行未填时按各分项之和计算",
    "执行率 70.00%（70.00 / 100.00），预算执行得分应为 7.00（分值 10），表中为 10");
rule!(
    RATE_MISMATCH,
    "selfeval.rate-mismatch",
    "执行率与金额不符",
    Warning,
    "表中印的执行率等于 执行数 / 预算数（相差不超过 0.5 个百分点）",
    "“其中：财政拨款”执行率印为 90%，而 96.00 / 100.00 = 96.00%"
);
rule!(
    RATE_OVER,
    "selfeval.rate-over",
    "执行数超过预算数",
    Warning,
    "执行数不超过预算数（执行率不超过 100%），超过的应说明",
    "“其他资金”执行数 12.00 超过预算数 10.00（执行率 120.00%）"
);
rule!(
    LINE_SUM,
    "selfeval.line-sum",
    "资金总额行不等于分项之和",
    Error,
    "资金总额行的年初预算数、全年预算数、执行数分别等于其下各分项之和",
    "年度资金总额的年初预算数为 0.00，而各分项之和为 100.00"
);
rule!(
    LEVEL_WEIGHT,
    "selfeval.level-weight",
    "一级指标分值不符",
    Warning,
    "一级指标名称中标明的分值（产出指标(50分)）等于其下各指标分值之和",
    "“产出指标(50分)”下各指标分值之和为 46"
);
rule!(
    WEIGHT_SUM,
    "selfeval.weight-sum",
    "分值合计不为100",
    Error,
    "预算执行分值与各指标分值之和为 100，且等于总分行印的分值合计",
    "预算执行 10 + 各指标分值 95 = 105，不是 100"
);
rule!(
    TOTAL_SUM,
    "selfeval.total-sum",
    "总分不等于各项得分之和",
    Error,
    "总分等于预算执行得分与各指标得分之和",
    "总分 100，而预算执行得分 0 + 各指标得分 90 = 90"
);
rule!(
    GRADE,
    "selfeval.grade",
    "评价等级与总分不符",
    Warning,
    "评价等级与总分相符：90 分及以上为优，80–90 为良，60–80 为中，60 以下为差（由表样配置给出）",
    "总分 85 应评为“良”，表中为“优”"
);
rule!(
    BLOCK_FULL,
    "selfeval.block-full",
    "目标全部达成却未得满分",
    Error,
    "按目标分块计分的表（湖北）：一块中各指标都达到指标值时，该块得分等于其分值",
    "“年度绩效目标1（40分）”各指标都已达到指标值，得分合计却为 39.6"
);
rule!(PROMPT, "selfeval.prompt", "说明栏仍是表样提示语", Warning,
    "实际完成情况、评价结论、存在问题、改进措施等说明栏填写了内容，而不是表样印好的提示语（“……（200字以内）”）",
    "“评价结论”仍为表样提示语“结合自评情况，说明项目自评总分……（200字以内）”");
rule!(
    RATE_REASON,
    "selfeval.rate-reason",
    "执行率偏低未说明原因",
    Warning,
    "预算执行率低于表样配置的界限（四川 90%）时，在原因栏说明原因",
    "预算执行率 70.00%，低于 90%，未说明原因"
);
rule!(
    ADJUST_REASON,
    "selfeval.adjust-reason",
    "预算调整未说明理由",
    Warning,
    "年中调整了预算（年初预算 ≠ 调整后预算数）时，在原因栏说明理由（四川）",
    "年初预算 80.00，调整后预算数 100.00，未说明调整理由"
);
rule!(
    LIKELIHOOD_NO_CAUSE,
    "selfeval.likelihood-no-cause",
    "可能无法完成却未说明原因",
    Error,
    "运行监控中完成目标可能性为“有可能”或“完全不可能”的指标，说明偏差原因和拟采取的措施",
    "指标“改造实验室间数”完成目标可能性为“有可能”，未说明原因"
);
rule!(BEHIND_SCHEDULE, "selfeval.behind-schedule", "执行进度明显滞后", Warning,
    "运行监控中 1-N月执行数占年初预算的比例，不比时间进度（N/12）落后超过表样配置的百分点（默认 20）",
    "1-7月执行 20.00 / 300.00 = 6.67%，时间进度 58.33%，落后 51.67 个百分点");
rule!(LINK_NONE, "selfeval.link-none", "找不到对应的目标表", Info,
    "给了目标表（check --targets）时，每张自评表按 年度 + 项目编码（没有编码时按 项目名称 + 主管部门）找到同一项目的绩效目标表",
    "没有找到“农村公路养护补助”（2024年，某县交通运输局部门）的绩效目标表");
rule!(
    INDICATOR_DROPPED,
    "selfeval.indicator-dropped",
    "目标表中的指标未自评",
    Error,
    "绩效目标表批复的每项三级指标都出现在自评表中",
    "目标表中的指标“培训班期数”（≥12期）不在自评表中"
);
rule!(
    INDICATOR_ADDED,
    "selfeval.indicator-added",
    "自评表多出目标表没有的指标",
    Warning,
    "自评表的三级指标都是目标表批复过的",
    "自评表中的指标“宣传覆盖面”不在目标表中"
);
rule!(
    INDICATOR_RENAMED,
    "selfeval.indicator-renamed",
    "指标名称与目标表不同",
    Warning,
    "同一二级指标下，自评表的指标名称与目标表一致（一项不见、一项多出时视为改名）",
    "目标表中的“培训人次”在自评表中写作“培训人数”"
);
rule!(
    TARGET_CHANGED,
    "selfeval.target-changed",
    "指标值与目标表不同",
    Error,
    "自评表的年度指标值等于目标表批复的指标值（不得事后修改目标）",
    "指标“考核合格率”目标表为 ≥95%，自评表为 ≥90%"
);
rule!(
    BUDGET_DIFFERS,
    "selfeval.budget-differs",
    "年初预算数与目标表不符",
    Error,
    "自评表资金总额行的年初预算数等于目标表的年度资金总额",
    "年初预算数 120.00 万元，目标表的年度资金总额为 100.00 万元"
);
