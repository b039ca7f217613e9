//! The README's console examples are what the commands print today: every ```console block
//! whose first line is `$ jixiao …` is run (in a scratch folder that sees the repository's
//! `samples` and `tests`, so that outputs land there).
//!
//! In a block, a line `…` stands for any number of lines, and `…` inside a line for any text
//! (the README shortens long output that way); a run time (`用时 0.3 秒`) is any run time.
//! `JIXIAO_WRITE_README=1 cargo test --test it readme::` rewrites the blocks that differ with
//! what the commands print (a block that was shortened keeps as many lines at its head and tail
//! as before).

use std::path::Path;

fn jixiao() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("jixiao").expect("binary is built")
}

/// One console block: where it stands in the README, and its commands with their output.
struct Block {
    /// Line indexes of the block's body (between the fences).
    body: std::ops::Range<usize>,
    commands: Vec<(String, Vec<String>)>,
}

fn blocks(lines: &[&str]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end() != "```console" {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && !lines[end].starts_with("```") {
            end += 1;
        }
        i = end + 1;
        if !lines.get(start).is_some_and(|l| l.starts_with("$ jixiao ")) {
            continue;
        }
        let mut commands: Vec<(String, Vec<String>)> = Vec::new();
        for line in &lines[start..end] {
            if let Some(cmd) = line.strip_prefix("$ ") {
                commands.push((cmd.to_string(), Vec::new()));
            } else if let Some((_, said)) = commands.last_mut() {
                said.push((*line).to_string());
            }
        }
        for (_, said) in &mut commands {
            while said.last().is_some_and(|l| l.trim().is_empty()) {
                said.pop();
            }
        }
        out.push(Block {
            body: start..end,
            commands,
        });
    }
    out
}

/// A command line's words: spaces split, double quotes group.
fn words(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in cmd.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// What a command prints on stdout, run in `dir` (the README shows no stderr: warnings about the
/// files a folder holds besides workbooks, the names of files that could not be read).
fn run(cmd: &str, dir: &Path) -> Vec<String> {
    let words = words(cmd);
    assert_eq!(words[0], "jixiao", "{cmd}");
    let out = jixiao()
        .args(&words[1..])
        .current_dir(dir)
        .output()
        .expect("runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// A run time is any run time.
fn plain(line: &str) -> String {
    let re = regex::Regex::new(r"用时 [0-9.]+ (秒|毫秒)").expect("regex");
    re.replace_all(line.trim_end(), "用时 … 秒").into_owned()
}

/// One README line against one printed line: `…` inside the line stands for any text.
fn line_matches(want: &str, got: &str) -> bool {
    let want = plain(want);
    let got = plain(got);
    let parts: Vec<&str> = want.split('…').collect();
    if parts.len() == 1 {
        return want == got;
    }
    let Some(mut rest) = got.strip_prefix(parts[0]) else {
        return false;
    };
    for (i, part) in parts.iter().enumerate().skip(1) {
        if i == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// The README's lines against the printed ones: a line `…` stands for any lines.
fn matches(want: &[String], got: &[String]) -> bool {
    match want.split_first() {
        None => got.is_empty(),
        Some((w, rest)) if w.trim() == "…" => (0..=got.len()).any(|k| matches(rest, &got[k..])),
        Some((w, rest)) => {
            got.first().is_some_and(|g| line_matches(w, g)) && matches(rest, &got[1..])
        }
    }
}

/// The printed lines shortened as the README's were: as many lines at the head and the tail.
fn shortened(want: &[String], got: &[String]) -> Vec<String> {
    let Some(first) = want.iter().position(|l| l.trim() == "…") else {
        return got.to_vec();
    };
    let last = want.iter().rposition(|l| l.trim() == "…").unwrap_or(first);
    let tail = want.len() - last - 1;
    if first + tail >= got.len() {
        return got.to_vec();
    }
    let mut out = got[..first].to_vec();
    out.push("…".into());
    out.extend_from_slice(&got[got.len() - tail..]);
    out
}

#[test]
fn readme_console_examples_are_what_the_commands_print() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let lines: Vec<&str> = readme.lines().collect();
    let found = blocks(&lines);
    assert!(found.len() >= 6, "{} console blocks", found.len());
    let write = std::env::var_os("JIXIAO_WRITE_README").is_some();
    let mut replaced: Vec<(std::ops::Range<usize>, Vec<String>)> = Vec::new();
    let mut wrong = Vec::new();
    for block in &found {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["samples", "tests"] {
            link(&root.join(name), &dir.path().join(name));
        }
        let mut body = Vec::new();
        let mut differs = false;
        for (i, (cmd, want)) in block.commands.iter().enumerate() {
            let got = run(cmd, dir.path());
            if !matches(want, &got) {
                differs = true;
                wrong.push(format!(
                    "README.md line {}: `{cmd}` prints\n{}\nbut the README says\n{}",
                    block.body.start + 1,
                    got.join("\n"),
                    want.join("\n")
                ));
            }
            if i > 0 {
                body.push(String::new());
            }
            body.push(format!("$ {cmd}"));
            body.extend(if matches(want, &got) {
                want.clone()
            } else {
                shortened(want, &got)
            });
        }
        if differs {
            replaced.push((block.body.clone(), body));
        }
    }
    if write && !replaced.is_empty() {
        let mut out: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
        for (range, body) in replaced.into_iter().rev() {
            out.splice(range, body);
        }
        std::fs::write(root.join("README.md"), out.join("\n") + "\n").expect("write README");
        return;
    }
    assert!(
        wrong.is_empty(),
        "{}\n\n(JIXIAO_WRITE_README=1 cargo test --test it readme:: rewrites them)",
        wrong.join("\n\n")
    );
}

#[cfg(unix)]
fn link(from: &Path, to: &Path) {
    std::os::unix::fs::symlink(from, to).expect("symlink");
}

#[cfg(windows)]
fn link(from: &Path, to: &Path) {
    std::os::windows::fs::symlink_dir(from, to).expect("symlink");
}

#[test]
fn the_readme_matcher_takes_what_it_should_and_nothing_else() {
    let v = |s: &[&str]| s.iter().map(|l| (*l).to_string()).collect::<Vec<_>>();
    let got = v(&["a 1", "b 2", "c 3", "共 3 个；用时 0.4 秒"]);
    assert!(matches(&v(&["a 1", "…", "共 3 个；用时 0.3 秒"]), &got));
    assert!(matches(&v(&["a …", "b 2", "c 3", "…"]), &got));
    assert!(!matches(&v(&["a 1", "…", "共 4 个；用时 0.3 秒"]), &got));
    assert!(!matches(&v(&["a 1", "b 2"]), &got));
    assert!(!matches(&v(&["a 2", "…"]), &got));
    assert_eq!(
        shortened(&v(&["x", "…", "y"]), &v(&["1", "2", "3", "4"])),
        v(&["1", "…", "4"])
    );
    assert_eq!(
        words(r#"jixiao profile draft a.xlsx --name "my 某市""#),
        v(&["jixiao", "profile", "draft", "a.xlsx", "--name", "my 某市"])
    );
}
