//! End-to-end tests of the `course` command line: each runs the built binary
//! and checks its output and exit status.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `course` with `args`.
fn course(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_course"))
        .args(args)
        .output()
        .expect("the course binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts that `output` is a success and returns its stdout.
fn success(output: &Output) -> String {
    assert!(
        output.status.success(),
        "status {:?}, stderr: {}",
        output.status,
        stderr(output)
    );
    stdout(output)
}

/// Asserts that `output` failed with status `code` and one `course: ...`
/// line on stderr, and returns that line.
fn failure(output: &Output, code: i32) -> String {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(output),
        stderr(output)
    );
    let message = stderr(output);
    assert!(message.starts_with("course: "), "{message}");
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
    message
}

/// A file in a fresh temporary directory, removed with the directory on drop.
struct TempFile {
    dir: PathBuf,
    path: PathBuf,
}

impl TempFile {
    fn new(name: &str, contents: &str) -> Self {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "course_cli_test_{}_{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(name);
        std::fs::write(&path, contents).expect("temp file");
        TempFile { dir, path }
    }

    fn arg(&self) -> &str {
        self.path.to_str().expect("temp path is UTF-8")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Whether the subcommand in `src/bin/course/<name>.rs` is still a stand-in
/// that answers "not available yet" (its test is then skipped).
fn not_available(name: &str) -> bool {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/bin/course")
        .join(format!("{name}.rs"));
    let source = std::fs::read_to_string(path).unwrap_or_default();
    let stand_in = source.contains("\"not available yet\"");
    if stand_in {
        eprintln!("course {name} is not available yet: test skipped");
    }
    stand_in
}

#[test]
fn help_lists_every_subcommand() {
    let help = success(&course(&["--help"]));
    for name in [
        "bfs",
        "codebreaker",
        "stocks",
        "chess",
        "virus",
        "bank",
        "nilakantha",
    ] {
        assert!(
            help.lines().any(|line| line.trim_start().starts_with(name)),
            "{name} missing from:\n{help}"
        );
    }
    let version = success(&course(&["--version"]));
    assert_eq!(
        version.trim(),
        format!("course {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_with_status_2() {
    assert_eq!(course(&[]).status.code(), Some(2));
    assert_eq!(course(&["no-such-command"]).status.code(), Some(2));
    assert_eq!(course(&["bfs"]).status.code(), Some(2));
    let both = course(&["bfs", "--graph", "g.json", "--nodes", "10"]);
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn bfs_prints_the_visit_order_of_a_json_graph() {
    //  1 → 3, 2      3 → 5, 1      2 → 4, 5      5 → 6      7 → 1 (not reached from 1)
    let graph = TempFile::new(
        "graph.json",
        r#"{"1": [3, 2], "2": [4, 5], "3": [5, 1], "5": [6], "7": [1]}"#,
    );
    for variant in ["naive", "improved", "fast"] {
        let out = success(&course(&[
            "bfs",
            "--graph",
            graph.arg(),
            "--variant",
            variant,
        ]));
        assert_eq!(out, "1\n3\n2\n5\n4\n6\n", "variant {variant}");
    }
    let default = success(&course(&["bfs", "--graph", graph.arg()]));
    assert_eq!(default, "1\n3\n2\n5\n4\n6\n");
    let from_seven = success(&course(&["bfs", "--graph", graph.arg(), "--start", "7"]));
    assert_eq!(from_seven, "7\n1\n3\n2\n5\n4\n6\n");
}

#[test]
fn bfs_reports_a_missing_or_malformed_file() {
    let other = TempFile::new("other.json", "{}");
    let path = other.dir.join("missing.json");
    let path = path.to_str().expect("temp path is UTF-8");
    let message = failure(&course(&["bfs", "--graph", path]), 2);
    assert!(message.contains("cannot access graph file"), "{message}");
    assert!(message.contains("missing.json"), "{message}");

    for (text, expected) in [
        ("{\"1\": [2,", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ("{\"one\": [2]}", "\"one\" is not a node number"),
        ("{\"1\": [2, \"x\"]}", "child number 1 of node 1"),
    ] {
        let bad = TempFile::new("bad.json", text);
        let output = course(&["bfs", "--graph", bad.arg()]);
        let message = failure(&output, 2);
        assert!(message.contains(expected), "{text}: {message}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn bfs_times_every_variant_on_a_generated_graph() {
    let out = success(&course(&[
        "bfs", "--nodes", "300", "--seed", "7", "--runs", "1",
    ]));
    assert!(out.starts_with("course graph: 300 nodes,"), "{out}");
    assert!(out.contains("order length from node 1: "), "{out}");
    for name in ["naive", "improved", "fast (CSR)", "early stop", "building"] {
        assert!(out.contains(name), "{name} missing from:\n{out}");
    }
    let message = failure(&course(&["bfs", "--nodes", "1000000"]), 2);
    assert!(message.contains("too large"), "{message}");
}

#[test]
fn virus_prints_the_course_scenario_as_csv() {
    let out = success(&course(&["virus"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1 + 950);
    assert_eq!(
        lines[..5],
        [
            "day,cases,r0,lockdown,celebration",
            "0,1,1.2,0,0",
            "1,1,1.2,0,0",
            "2,1,1.2,0,0",
            "3,2,1.2,0,0",
        ]
    );
    // The first lockdown starts on day 47; day 74 is a celebration during it.
    assert!(lines[1 + 46].ends_with(",1.2,0,0"));
    assert!(lines[1 + 47].starts_with("47,") && lines[1 + 47].ends_with(",0.9,1,0"));
    assert!(lines[1 + 74].starts_with("74,") && lines[1 + 74].ends_with(",1.8,1,1"));
}

#[test]
fn virus_flags_change_the_scenario() {
    let out = success(&course(&[
        "virus",
        "--duration",
        "4",
        "--r0",
        "2",
        "--celebration-days",
        "1, 3",
        "--celebration-multiplier",
        "3",
    ]));
    assert_eq!(
        out,
        "day,cases,r0,lockdown,celebration\n0,1,2,0,0\n1,2,6,0,1\n2,12,2,0,0\n3,24,6,0,1\n"
    );
    let quiet = success(&course(&["virus", "--celebration-days", ""]));
    assert!(quiet.lines().skip(1).all(|line| line.ends_with(",0")));

    let message = failure(&course(&["virus", "--r0", "0"]), 2);
    assert!(message.contains("regular R0 must be"), "{message}");
    let message = failure(&course(&["virus", "--duration", "0"]), 2);
    assert!(message.contains("at least one day"), "{message}");
    assert_eq!(
        course(&["virus", "--celebration-days", "3,x"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn bank_prints_every_balance_and_the_agios_example() {
    let out = success(&course(&["bank"]));
    for kind in ["internal", "blocked", "agios"] {
        assert!(out.contains(&format!("== Alice and Bob with {kind} accounts ==")));
    }
    assert!(out.contains(
        "refused: Bob cannot pay 200: the balance is only 100 and this account may not go below zero"
    ));
    assert!(out.contains("day 8: Alice pays 100 to Bob (Bob pays 5 of agios)"));
    assert!(out.contains("agios paid to the bank: 5"));
    assert_eq!(out.matches("total: 15600").count(), 4);

    // The balances after the agios example, from the table rows "#id owner kind balance due".
    let example = out.split("Agios example").nth(1).expect("agios example");
    let balance = |owner: &str| -> Option<String> {
        example
            .lines()
            .filter(|line| line.starts_with('#'))
            .map(|line| line.split_whitespace().collect::<Vec<_>>())
            .find(|cells| cells.get(1) == Some(&owner))
            .and_then(|cells| cells.get(3).map(|cell| cell.to_string()))
    };
    assert_eq!(balance("Bank").as_deref(), Some("10005"));
    assert_eq!(balance("Bob").as_deref(), Some("-5"));

    let blocked = success(&course(&["bank", "--kind", "blocked", "--agios-days", "2"]));
    assert!(!blocked.contains("internal accounts =="));
    assert!(blocked.contains("day 5: Alice pays 100 to Bob (Bob pays 2 of agios)"));
}

#[test]
fn nilakantha_compares_f64_and_exact_digits() {
    let out = success(&course(&[
        "nilakantha",
        "--terms",
        "1000",
        "--digits",
        "30",
    ]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[1].starts_with("f64    3.141592653340542"), "{out}");
    assert!(
        lines[2].starts_with("exact  3.141592653340542051900128736253  "),
        "{out}"
    );
    assert!(lines[1].contains("correct digits: 10 "), "{out}");
    assert!(lines[2].contains("correct digits: 10 "), "{out}");
    assert_eq!(lines[3], "π      3.141592653589793238462643383279");

    let threaded = success(&course(&[
        "nilakantha",
        "--terms",
        "1000",
        "--digits",
        "30",
        "--threads",
        "4",
    ]));
    assert!(
        threaded.contains("4 partial sums of 250 terms"),
        "{threaded}"
    );
    let exact = |text: &str| -> Option<String> {
        text.lines()
            .find(|line| line.starts_with("exact"))
            .and_then(|line| line.split_whitespace().nth(1).map(str::to_string))
    };
    assert_eq!(exact(&threaded), exact(&out));

    let message = failure(
        &course(&["nilakantha", "--terms", "1001", "--threads", "4"]),
        2,
    );
    assert!(message.contains("multiple of --threads 4"), "{message}");
    assert_eq!(
        course(&["nilakantha", "--threads", "0"]).status.code(),
        Some(2)
    );
}

#[test]
fn codebreaker_finds_the_course_password_of_length_3() {
    if not_available("codebreaker") {
        return;
    }
    let out = success(&course(&[
        "codebreaker",
        "--digest",
        "d0eedb799584d850fdd802fd3c27ae34",
        "--password-length",
        "3",
    ]));
    assert_eq!(out.lines().last(), Some("Hey"), "{out}");
}

#[test]
fn codebreaker_reports_bad_digests_and_missing_passwords() {
    if not_available("codebreaker") {
        return;
    }
    let message = failure(
        &course(&["codebreaker", "--digest", "d0ee", "--password-length", "3"]),
        2,
    );
    assert!(message.contains("32 hexadecimal digits"), "{message}");

    // The MD5 digest of "a1b": three characters, but not all letters.
    let output = course(&[
        "codebreaker",
        "--digest",
        "30f5eef91a397e4bbab4d93aeb286aef",
        "--password-length",
        "3",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().last(), Some("not found"));
}

#[test]
fn stocks_back_tests_generated_tickers() {
    if not_available("stocks") {
        return;
    }
    let out = success(&course(&[
        "stocks",
        "--tickers",
        "3",
        "--days",
        "300",
        "--format",
        "csv",
    ]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1 + 3, "{out}");
    assert!(lines[0].starts_with("ticker,"), "{out}");
}

#[test]
fn chess_prints_both_timelines() {
    if not_available("chess") {
        return;
    }
    let out = success(&course(&["chess"]));
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("mode,who,board,start_ms,end_ms"));
    let rows: Vec<&str> = lines.collect();
    assert!(rows.iter().any(|row| row.starts_with("sync,")), "{out}");
    assert!(rows.iter().any(|row| row.starts_with("async,")), "{out}");
    assert!(rows.iter().all(|row| row.split(',').count() == 5), "{out}");
}
