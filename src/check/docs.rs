//! `docs/rules.md`: the catalogue as Markdown, generated (a test keeps the committed file in
//! step with [`CATALOGUE`]).

use std::fmt::Write as _;

use super::catalogue::{level_text, CATALOGUE};
use super::settings::Config;
use crate::read::profile::Profiles;

/// The catalogue as Markdown (the text of `docs/rules.md`).
pub fn rules_markdown() -> String {
    let config = Config::default();
    let profiles = Profiles::builtin();
    let mut s = String::new();
    s.push_str("# 检查规则（`jixiao check`）\n\n");
    s.push_str(
        "本文件由 `jixiao::check::rules_markdown()` 生成，测试会核对它与代码一致；\
         修改规则后运行 `JIXIAO_UPDATE_DOCS=1 cargo test rules_doc` 重新生成。\
         命令行中可用 `jixiao check --rules` 列出同一份目录。\n\n",
    );
    s.push_str(
        "级别：**错误**（error）＝肯定有误，须改正；**警告**（warning）＝可能有误或写得不好，\
         请审核确认；**提示**（info）＝读取时对原表所做的更改，或说明性的提示。\
         有错误时 `jixiao check` 的退出码为 1，有文件无法读取时为 2，否则为 0。\n\n",
    );
    s.push_str(
        "级别因模板（读取时识别的表式：宁夏、全国、湖南、中央、部门整体）而异时，按模板分别列出；\
         各模板的默认级别和阈值在其表样配置 `templates/profiles/<模板>.toml` 的 `[rules]` 和 `[thresholds]` 中\
         （用户自己的表样配置同样可写，并经 `extends` 继承），通用阈值在 `templates/rules.toml` 的 `[thresholds]` 中。\
         用户可在当前目录放一个 `jixiao.toml`（或在任一命令后加 `--config 文件`）关闭规则、改变级别、\
         设定阈值，见下文“规则文件”。\n\n",
    );
    s.push_str(
        "“适用于”按规则所需的内容区分：绩效目标表的规则审查目标、资金安排和总体目标是怎样设定的——\
         绩效自评表和运行监控表照抄批复的目标表，这些只在目标表上检查；自评表和监控表的规则审查完成值、\
         得分和预算执行。\n\n",
    );
    s.push_str(
        "规则用到的词表（项目属性的种类、表示比率或满意度的词、时间单位、金额单位、目标文字比对时忽略的词、\
         其他表式的指标级次名称、方向、含糊表述、占位符等）在 `templates/rules.toml` 中，\
         指标体系在 `templates/framework.toml` 中。\n",
    );
    let mut section = "";
    for r in CATALOGUE {
        let prefix = r.id.split('.').next().unwrap_or("");
        if prefix != section {
            section = prefix;
            let _ = write!(s, "\n## {}\n\n", section_title(prefix));
            s.push_str(
                "| 规则 | 名称 | 级别 | 适用于 | 检查内容 | 示例 |\n|---|---|---|---|---|---|\n",
            );
        }
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} |",
            r.id,
            r.name,
            level_text(r, &config, &profiles),
            r.forms.label(),
            r.checks.replace('|', "\\|"),
            r.example.replace('|', "\\|")
        );
    }
    s.push_str(super::grade::GRADE_DOC);
    s.push_str(RULE_FILE_DOC);
    s
}

/// The rule file section of `docs/rules.md`.
const RULE_FILE_DOC: &str = "
## 规则文件（`jixiao.toml`）

各地财政部门的惯例不同。在运行命令的目录中放一个 `jixiao.toml`，或在 `import`、`check`、`convert`、
`template` 后加 `--config 文件`，即可关闭规则、改变级别、设定阈值；其余规则沿用所读表式（模板）的默认设置。
级别可写 `error`／`warning`／`info`／`off`，也可写 `错误`／`警告`／`提示`／`关闭`。

```toml
[rules]
\"cost.sum\" = \"error\"          # 成本指标合计必须等于年度资金总额
\"values.vague\" = \"off\"        # 不检查含糊表述

[thresholds]
satisfaction_floor = 85          # 满意度低于 85% 视为偏低（默认 80）
amount_tolerance = 0.01          # 金额相差不超过 0.01 万元视为相等（默认 0.005）
required_level2 = { \"产出指标\" = [\"数量指标\", \"质量指标\", \"时效指标\"], \"满意度指标\" = [\"服务对象满意度\"] }
weight_split = { \"产出指标\" = 50, \"效益指标\" = 30, \"满意度指标\" = 10 }
timely_rates = false             # 时效指标写比率（…及时率 100%）也要求写明时间或期限（默认可写）

[profile.national.rules]         # 只对按全国表式读取的表
\"values.weights\" = \"error\"
```

规则文件中出现未知的键、未知的规则号或无效的级别时，命令以一句中文说明（指出文件和键）退出，退出码 2。
";

fn section_title(prefix: &str) -> &'static str {
    match prefix {
        "funding" => "资金（funding）",
        "cost" => "成本指标（cost）",
        "goal" => "年度总体绩效目标（goal）",
        "framework" => "指标体系（framework）",
        "values" => "指标值（values）",
        "dates" => "日期与年度（dates）",
        "identity" => "项目信息（identity）",
        "selfeval" => "绩效自评与运行监控（selfeval）",
        "read" => "读取提示（read）",
        "write" => "转换输出提示（write）",
        "region" => "跨文件检查（region，`jixiao summary`）",
        _ => "其他",
    }
}
