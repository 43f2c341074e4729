use super::*;

fn context() -> MagicContext<'static> {
    MagicContext {
        opt_level: "2",
        variables: &[],
        warnings: true,
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
    // A final `let` is dropped with the closure: its value is kept.
    let out = expanded("%timeit let x = 5;");
    assert!(
        out.contains("&mut || { let x = std::hint::black_box(5); }));"),
        "{out}"
    );
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
    // The dropped `()` is kept too (see `dropped_values_are_kept`).
    assert_eq!(out.lines().nth(1), Some("std::hint::black_box(v.sort());"));
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
            .ends_with("std::hint::black_box(slow(3)); rcourse_profiler.finish();"),
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
        warnings: true,
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

#[test]
fn help_is_derived_from_the_declaration() {
    let help = expand("%timeit?", &context()).unwrap().printed;
    assert_eq!(
        help,
        "%timeit\n\nUsage:\n\
         \x20 %timeit [-n N] [-r R] [-p P] [-q] [-o] STATEMENT\n\
         \x20 %%timeit [-n N] [-r R] [-p P] [-q] [-o] [SETUP] + cell body\n\n\
         Time compiled Rust the way IPython times Python. The statement (or the cell body) \
         is compiled into a loop with the cell's optimisation level and run R runs of N \
         loops; SETUP runs before each run, outside the timed region.\n\
         Options:\n\
         -n N  loops per run (default: the first power of ten whose run takes 0.2 s)\n\
         -r R  runs (default 7)\n\
         -p P  significant digits shown (default 3)\n\
         -q    print nothing\n\
         -o    return the TimeitResult (runs, loops, best, worst, all_runs, average(), \
         stdev()): `let t = %timeit -o v.iter().sum::<u64>();`\n"
    );
    assert_eq!(expand("%magic timeit", &context()).unwrap().printed, help);
    assert_eq!(expand("%magic %timeit?", &context()).unwrap().printed, help);
    let cell_help = expand("%%writefile?", &context()).unwrap().printed;
    assert!(cell_help.starts_with("%%writefile\n\nUsage:\n  %%writefile [-a] PATH + cell body\n"));
    assert_eq!(
        expand("%writefile?", &context()).unwrap().printed,
        cell_help
    );
    assert!(usage_error("%%who?").contains("No magic `%%who`"));
    assert!(usage_error("%timeit -z 1").ends_with(
        "Usage: %timeit [-n N] [-r R] [-p P] [-q] [-o] STATEMENT\n       \
                        %%timeit [-n N] [-r R] [-p P] [-q] [-o] [SETUP] + cell body"
    ));
}

#[test]
fn every_magic_is_listed_and_explained() {
    let names: Vec<&str> = MAGICS.iter().map(|magic| magic.name).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        names, sorted,
        "the registry is sorted by name, each name once"
    );
    let listing = expand("%lsmagic", &context()).unwrap().printed;
    assert!(listing.contains(
        "Available line magics:\n%complexity  %lsmagic  %magic  %prun  %time  %timeit  %warnings  %who  %whos\n\n"
    ), "{listing}");
    assert!(
        listing.contains(
            "Available cell magics:\n%%complexity  %%prun  %%time  %%timeit  %%writefile\n"
        ),
        "{listing}"
    );
    let overview = expand("%magic", &context()).unwrap().printed;
    for magic in MAGICS {
        assert!(overview.contains(magic.help), "{}", magic.name);
        assert!(
            expand(&format!("%magic {}", magic.name), &context()).is_ok(),
            "{}",
            magic.name
        );
    }
}

#[test]
fn listings_have_no_value_and_take_no_arguments() {
    assert!(usage_error("let x = %who").contains("has no value to assign"));
    assert!(usage_error("%lsmagic all").contains("%lsmagic takes no arguments"));
    assert!(usage_error("%%time -q\n1").contains("%%time takes no arguments"));
    let error = expand("%%prun -s time f()\nf()", &context()).unwrap_err();
    assert_eq!(error.magic, "%%prun");
}

#[test]
fn magics_are_only_magics_at_the_top_level() {
    let code = "let b = (a\n%time x);\nlet s = \"\n%timeit\";";
    assert_eq!(expanded(code), code);
    let out = expanded("let b = (a\n    % 2);\n%time b");
    assert!(
        out.starts_with("let b = (a\n    % 2);\nlet rcourse_clock"),
        "{out}"
    );
    // A magic's arguments do not open brackets for the lines after it.
    let out = expanded("%time f(\n%time g()");
    assert_eq!(out.lines().count(), 2);
    assert!(
        out.lines().nth(1).unwrap().starts_with("let rcourse_clock"),
        "{out}"
    );
    // Without options to read, a leading `-` is part of the statement.
    assert!(expanded("%time -x.abs()").contains("rcourse_clock.finish_with({ -x.abs() })"));
}

/// The timed closure of a line magic: what `&mut || { ... }` holds.
fn timed(code: &str) -> String {
    let out = expanded(code);
    let start = out.find("&mut || { ").expect(&out) + "&mut || { ".len();
    let end = out.rfind(" })); }").expect(&out);
    out[start..end].to_owned()
}

#[test]
fn a_closure_of_n_is_called_with_n() {
    assert_eq!(
        timed("%complexity -n 10..40 |n| (0..n).sum::<usize>()"),
        "(|n| (0..n).sum::<usize>())(n)"
    );
    assert_eq!(
        timed("let c = %complexity -o -n 10..40 |n: u64| (0..n).sum::<u64>();"),
        "(|n: u64| (0..n).sum::<u64>())(n as u64)"
    );
    assert_eq!(
        timed("%complexity -n 10..40 move || { v.len() * n };"),
        "std::hint::black_box((move || { v.len() * n })());"
    );
    let out = expanded("%%complexity -n 10..40\n|n| {\n    (0..n).rev().collect::<Vec<_>>()\n}");
    // The magic's line, the three lines of the body, then the loop's end.
    assert_eq!(out.lines().count(), 5, "{out}");
    assert!(
        out.contains("&mut || { \n(|n| {\n    (0..n).rev().collect::<Vec<_>>()\n})(n)\n }));"),
        "{out}"
    );
    assert!(usage_error("%complexity -n 10..40 |n, m| n + m").contains("closure of 2 parameters"));
    assert!(usage_error("%complexity -n 10..40 async move { n }").contains("a future"));
}

#[test]
fn a_closure_is_called_not_created() {
    assert_eq!(
        timed("%timeit || v.iter().sum::<u64>()"),
        "(|| v.iter().sum::<u64>())()"
    );
    assert!(usage_error("%timeit |x: u64| x * 2").contains(
        "closure of 1 parameter, which would be created and never called: \
         %timeit calls only a closure without parameters"
    ));
    let out = expanded("%time || heavy(3)");
    assert!(
        out.ends_with("rcourse_clock.finish_with({ (|| heavy(3))() })"),
        "{out}"
    );
    let out = expanded("let x = %prun || heavy(3);");
    assert!(out.contains("finish_with({ (|| heavy(3))() }) };"), "{out}");
    assert!(usage_error("%time |x| x").contains("%time calls only a closure without parameters"));
}

#[test]
fn dropped_values_are_kept() {
    let out = expanded(
        "%%timeit -n 10\nlet mut w = v.clone();\nw.iter().sum::<u64>();\nw.sort();\nprintln!(\"x\");",
    );
    assert!(out.contains("\nstd::hint::black_box(w.iter().sum::<u64>());\nstd::hint::black_box(w.sort());\nprintln!(\"x\");\n"), "{out}");
    let out =
        expanded("%%timeit\nlet v: Vec<u64> = (0..100).collect();\nlet s: u64 = v.iter().sum();");
    assert!(
        out.contains("let s: u64 = std::hint::black_box(v.iter().sum());"),
        "{out}"
    );
    assert!(
        out.contains("let v: Vec<u64> = (0..100).collect();"),
        "{out}"
    );
    // A trailing value is the body's value, kept by the timing loop.
    let out = expanded("%%timeit\nlet v = vec![1u8; 100];\nv.len()");
    assert!(!out.contains("black_box"), "{out}");
    // %time and %prun: lets stay in the session, dropped values are kept.
    let out = expanded("%%time\nlet s: u64 = (0..n).sum();\n(0..n).map(|i| i * i).sum::<u64>();");
    assert!(out.ends_with("\nlet s: u64 = (0..n).sum();\nstd::hint::black_box((0..n).map(|i| i * i).sum::<u64>()); rcourse_clock.finish();"), "{out}");
}

#[test]
fn code_that_takes_no_time_or_jumps_out_is_a_usage_error() {
    assert!(
        usage_error("%timeit fn double(x: u64) -> u64 { x * 2 }").contains("only defines items")
    );
    assert!(usage_error("%%complexity\nstruct Grid(Vec<u8>);").contains("only defines items"));
    assert!(
        expand(
            "%%timeit\nfn double(x: u64) -> u64 { x * 2 }\ndouble(21)",
            &context()
        )
        .is_ok()
    );
    assert!(usage_error("%timeit // nothing").contains("no code to time"));
    assert!(usage_error("%timeit s.parse::<u32>()?").contains(
        "`?` would jump out of the timed code, which runs inside %timeit's timing loop: \
         use `.unwrap()`"
    ));
    assert!(
        usage_error("%%timeit\nif v.is_empty() { return 0; }\nv[0]")
            .contains("`return` would jump out")
    );
    assert!(
        usage_error("%%complexity -n 10..40\nif n > 20 { break; }")
            .contains("`break` would jump out")
    );
    let error =
        usage_error("%%timeit let v = match w { Some(v) => v, None => continue };\nv.len()");
    assert!(
        error.contains("`continue` would jump out of SETUP"),
        "{error}"
    );
    // Jumps inside the code's own loops and closures stay.
    assert!(expand("%%timeit\nfor x in &v { if *x > 3 { break; } }", &context()).is_ok());
    assert!(
        expand(
            "%complexity -n 10..40 |n| -> Option<u64> { Some(v.get(n)? + 1) }",
            &context()
        )
        .is_ok()
    );
}

#[test]
fn a_line_comment_ends_with_the_magics_line() {
    assert_eq!(timed("%timeit v.sort() // in place"), "v.sort()");
    let out = expanded("%time heavy(3) // slow");
    assert!(out.ends_with("finish_with({ heavy(3) })"), "{out}");
    let out = expanded("%%timeit let mut w = v.clone(); // fresh\nw.sort();");
    assert!(
        out.contains("next_run() { let mut w = v.clone(); rcourse_driver.record("),
        "{out}"
    );
}
