use super::*;

fn context() -> MagicContext<'static> {
    MagicContext {
        opt_level: "2",
        variables: &[],
    }
}

fn expanded(code: &str) -> String {
    expand(code, &context()).unwrap().code
}

fn usage_error(code: &str) -> String {
    expand(code, &context()).unwrap_err().message
}

#[test]
fn code_without_magics_is_unchanged() {
    let code = "let a = 10 % 3;\nlet b = a\n    % 2;\na + b";
    assert_eq!(expanded(code), code);
}

#[test]
fn line_timeit_keeps_the_line_count_and_ends_the_statement() {
    let code = "let v: Vec<u64> = (0..100).collect();\n%timeit -n 1000 -r 3 v.iter().sum::<u64>()\nv.len()";
    let out = expanded(code);
    assert_eq!(out.lines().count(), 3);
    let line = out.lines().nth(1).unwrap();
    assert!(line.contains("loops: Some(1000), runs: 3"), "{line}");
    assert!(line.contains("v.iter().sum::<u64>()"));
    assert!(line.ends_with("rcourse_driver.finish() };"), "{line}");
}

#[test]
fn the_semicolon_after_a_timed_expression_does_not_discard_its_value() {
    let out = expanded("let t = %timeit -o -q v.contains(&3);");
    assert!(out.contains("&mut || { v.contains(&3) }));"), "{out}");
    assert!(out.ends_with("rcourse_driver.finish() };"), "{out}");
    let out = expanded("%timeit v.sort();");
    assert!(out.contains("&mut || { v.sort() }));"), "{out}");
    let out = expanded("%timeit let x = 5; x * 2");
    assert!(out.contains("&mut || { let x = 5; x * 2 }));"), "{out}");
    let out = expanded("%timeit let x = 5;");
    assert!(out.contains("&mut || { let x = 5; }));"), "{out}");
}

#[test]
fn timeit_o_at_the_end_is_the_value_and_quiet() {
    let out = expanded("%timeit -o 1 + 1");
    assert!(out.ends_with("rcourse_driver.finish() }"), "{out}");
    assert!(out.contains("quiet: true"));
    let out = expanded("let t = %timeit -o 1 + 1\nt.best");
    assert!(out.starts_with("let t = { let mut rcourse_driver"), "{out}");
    assert!(out.contains("quiet: false"));
}

#[test]
fn cell_timeit_runs_setup_in_each_run() {
    let out = expanded("%%timeit -r 2 let mut v: Vec<u32> = (0..100).rev().collect();\nv.sort();");
    assert!(out.contains("next_run() { let mut v: Vec<u32> = (0..100).rev().collect();"));
    assert_eq!(out.lines().nth(1), Some("v.sort();"));
}

#[test]
fn time_keeps_lets_at_the_top_level_and_the_value() {
    let out = expanded("%%time\nlet v: Vec<u64> = (0..10).collect();\nv.len()");
    assert_eq!(
        out,
        "let rcourse_clock = course_lib::lab::timing::Clock::start();\n\
         let v: Vec<u64> = (0..10).collect();\nrcourse_clock.finish_with({ v.len() })"
    );
    let out = expanded("%time let x = 2 + 2;");
    assert!(
        out.ends_with("let x = 2 + 2; rcourse_clock.finish();"),
        "{out}"
    );
}

#[test]
fn prun_brackets_the_statements_with_the_profiler() {
    let out = expanded("%%prun -s cumulative -l 5\nlet v: Vec<u64> = (0..10).collect();\nv.len()");
    assert_eq!(
        out,
        "let rcourse_profiler = course_lib::lab::profile::Profiler::start(\
         course_lib::lab::profile::ProfileOptions::default()\
         .sort(course_lib::lab::profile::SortKey::Total).limit(5).opt_level(\"2\"));\n\
         let v: Vec<u64> = (0..10).collect();\nrcourse_profiler.finish_with({ v.len() })"
    );
    let out = expanded("let x = 1;\n%prun slow(3);\nx");
    assert_eq!(out.lines().count(), 3);
    assert!(
        out.lines()
            .nth(1)
            .unwrap()
            .ends_with("slow(3); rcourse_profiler.finish();"),
        "{out}"
    );
    let out = expanded("let s = %prun -s name (0..10u64).sum::<u64>();");
    assert!(out.starts_with("let s = { let rcourse_profiler"), "{out}");
    assert!(out.contains("SortKey::Name"), "{out}");
}

#[test]
fn prun_rejects_what_cannot_be_sampled() {
    assert!(usage_error("%prun -s ncalls f()").contains("call counts cannot be sampled"));
    assert!(usage_error("%prun -s bogus f()").contains("unknown sort key 'bogus'"));
    assert!(usage_error("%prun -l 0 f()").contains("-l needs a positive whole number"));
    assert!(usage_error("%prun").contains("Usage: %prun"));
    assert!(usage_error("%%prun -s time f()\nf()").contains("unexpected text after the options"));
}

#[test]
fn listings_print_without_code() {
    let expansion = expand("%lsmagic", &context()).unwrap();
    assert_eq!(expansion.code, "");
    assert!(expansion.printed.starts_with(
        "Available line magics:\n%complexity  %lsmagic  %magic  %prun  %time  %timeit"
    ));
    let variables = [("v".to_string(), "Vec<u64>".to_string())];
    let context = MagicContext {
        opt_level: "2",
        variables: &variables,
    };
    let expansion = expand("%whos", &context).unwrap();
    assert_eq!(
        expansion.code,
        "{ use course_lib::lab::inspect::{DebugInfo as _, LenInfo as _, NoInfo as _}; \
         print!(\"{}\", course_lib::lab::inspect::whos(&[(\"v\", \"Vec<u64>\", \
         (&&&course_lib::lab::inspect::Info(&v)).data_info())])); }"
    );
    let empty = expand("%whos", &self::context()).unwrap();
    assert_eq!(empty.printed, "Interactive namespace is empty.\n");
    let help = expand("%timeit?", &context).unwrap().printed;
    assert!(help.contains("-n N"));
}

#[test]
fn bad_uses_are_usage_errors_naming_the_magic() {
    assert!(usage_error("%timeit -z 1").contains("option -z not recognized"));
    assert!(usage_error("%timeit -n 0 1").contains("positive whole number"));
    assert!(usage_error("%timeit").contains("Usage: %timeit"));
    assert!(usage_error("%nosuch 1").contains("Line magic function `%nosuch` not found"));
    assert!(usage_error("%%nosuch\n1").contains("Cell magic function `%%nosuch` not found"));
    assert!(usage_error("%%timeit\n").contains("no body"));
    assert!(usage_error("let t = %timeit 1").contains("add -o"));
}

#[test]
fn complexity_binds_n_and_checks_sizes() {
    let out = expanded(
        "%%complexity -n 100..400 let v: Vec<u64> = (0..n as u64).collect();\nv.iter().sum::<u64>()",
    );
    assert!(out.contains("sizes: vec![100, 200, 400]"), "{out}");
    assert!(out.contains("while let Some((n, rcourse_loops))"));
    assert!(out.contains("let v: Vec<u64> = (0..n as u64).collect();"));
    assert!(usage_error("%complexity -n 10..5 n").contains("must grow"));
    assert!(usage_error("%complexity -n x n").contains("not a positive whole number"));
}
