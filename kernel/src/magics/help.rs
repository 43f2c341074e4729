//! The magics' help texts, `%lsmagic`, `%who` and `%whos`.

use super::MagicError;

/// A magic the kernel knows: name, whether it is a cell magic, usage, help.
struct Magic {
    name: &'static str,
    cell: bool,
    usage: &'static str,
    help: &'static str,
}

const MAGICS: &[Magic] = &[
    Magic {
        name: "complexity",
        cell: true,
        usage: "%complexity [-n SIZES] [-r R] [-q] [-o] BODY\n\
                %%complexity [-n SIZES] [-r R] [-q] [-o] [SETUP] + cell body",
        help: "Time the body at growing sizes `n` (a `usize` in scope in SETUP and BODY), fit \
               the best of O(1), O(log n), O(n), O(n log n), O(n²), O(n³) and O(2ⁿ), print the \
               verdict with the fitted constant, and draw time against n on log-log axes. \
               SETUP runs before each run, outside the timed region.\n\
               Options:\n\
               -n SIZES  `A..B` (A, 2A, 4A... up to B) or a list `100,200,400` \
               (default 1000..64000)\n\
               -r R      runs per size, the fastest counts (default 3)\n\
               -q        print nothing\n\
               -o        return the ComplexityReport (points, fit): \
               `let c = %complexity -o -n 100..1600 (0..n).sum::<usize>();`",
    },
    Magic {
        name: "lsmagic",
        cell: false,
        usage: "%lsmagic",
        help: "List the magics this kernel knows.",
    },
    Magic {
        name: "magic",
        cell: false,
        usage: "%magic [NAME]",
        help: "Explain the magics, or one magic (same as `%NAME?`).",
    },
    Magic {
        name: "prun",
        cell: true,
        usage: "%prun [-s KEY] [-l N] STATEMENT   or   %%prun [-s KEY] [-l N] + cell body",
        help: "Run the statement (or cell) once under a sampling profiler and show where the \
               time went: a table in cProfile's spirit (samples, tottime = time in the \
               function's own code, cumtime = with its callees, their shares) and a flame \
               graph. Times are estimates from samples of every thread's stack, a few hundred \
               per CPU second; call counts cannot be sampled. Profile runs of at least a \
               fraction of a second. `let`s stay in the session; a trailing expression stays \
               the cell's value.\n\
               Options:\n\
               -s KEY  sort by time/tottime (default), cumulative/cumtime or name\n\
               -l N    show the first N rows",
    },
    Magic {
        name: "time",
        cell: true,
        usage: "%time STATEMENT   or   %%time + cell body",
        help: "Run the statement (or cell) once and print the process's CPU times \
               (user, sys, total) and the wall time, as IPython does. A trailing \
               expression stays the cell's value; `let`s stay in the session. \
               `let x = %time EXPRESSION;` keeps the value.",
    },
    Magic {
        name: "timeit",
        cell: true,
        usage: "%timeit [-n N] [-r R] [-p P] [-q] [-o] STATEMENT\n\
                %%timeit [-n N] [-r R] [-p P] [-q] [-o] [SETUP] + cell body",
        help: "Time compiled Rust the way IPython times Python. The statement (or the cell \
               body) is compiled into a loop with the cell's optimisation level and run \
               R runs of N loops; SETUP runs before each run, outside the timed region.\n\
               Options:\n\
               -n N  loops per run (default: the first power of ten whose run takes 0.2 s)\n\
               -r R  runs (default 7)\n\
               -p P  significant digits shown (default 3)\n\
               -q    print nothing\n\
               -o    return the TimeitResult (runs, loops, best, worst, all_runs, \
               average(), stdev()): `let t = %timeit -o v.iter().sum::<u64>();`",
    },
    Magic {
        name: "who",
        cell: false,
        usage: "%who",
        help: "List the session's variables.",
    },
    Magic {
        name: "whos",
        cell: false,
        usage: "%whos",
        help: "List the session's variables with their types and values (Data/Info): \
               `n=LEN` for collections, the `Debug` text (shortened) for other values.",
    },
];

fn find(name: &str) -> Option<&'static Magic> {
    MAGICS.iter().find(|magic| magic.name == name)
}

/// The usage line of `%name`, if it is a magic.
pub fn usage(name: &str) -> Option<String> {
    find(name).map(|magic| format!("Usage: {}", magic.usage))
}

/// Whether `%%name` exists.
pub fn is_cell_magic(name: &str) -> bool {
    find(name).is_some_and(|magic| magic.cell)
}

/// `%name?`: usage and explanation.
pub fn help(name: &str, cell: bool) -> Result<String, MagicError> {
    let prefix = if cell { "%%" } else { "%" };
    match find(name) {
        Some(magic) if magic.cell || !cell => Ok(format!(
            "{prefix}{}\n\nUsage:\n{}\n\n{}\n",
            magic.name,
            indent(magic.usage),
            magic.help
        )),
        _ => Err(MagicError {
            magic: format!("{prefix}{name}"),
            message: format!("No magic `{prefix}{name}`. Run %lsmagic to list the magics."),
        }),
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `%magic` alone: every magic with its usage.
pub fn overview() -> String {
    let mut out = String::from("Magics of the Rust course kernel (IPython's syntax):\n\n");
    for magic in MAGICS {
        out.push_str(&format!("{}\n    {}\n\n", magic.usage, magic.help));
    }
    out
}

/// `%lsmagic` in IPython's layout.
pub fn lsmagic() -> String {
    let line: Vec<String> = MAGICS.iter().map(|m| format!("%{}", m.name)).collect();
    let cell: Vec<String> = MAGICS
        .iter()
        .filter(|m| m.cell)
        .map(|m| format!("%%{}", m.name))
        .collect();
    format!(
        "Available line magics:\n{}\n\nAvailable cell magics:\n{}\n\n\
         Automagic is OFF, % prefix IS needed for line magics.\n",
        line.join("  "),
        cell.join("  ")
    )
}

/// `%who`: the variable names, tab-separated, as IPython prints them.
pub fn who(variables: &[(String, String)]) -> String {
    if variables.is_empty() {
        return "Interactive namespace is empty.\n".to_string();
    }
    let names: Vec<&str> = variables.iter().map(|(name, _)| name.as_str()).collect();
    format!("{}\t\n", names.join("\t"))
}

/// `%whos`: code that prints IPython's table of the variables, their types
/// and a glimpse of their values (`course_lib::lab::inspect`), on one line.
/// `None` when there are no variables (nothing to compile).
pub fn whos(variables: &[(String, String)]) -> Option<String> {
    if variables.is_empty() {
        return None;
    }
    let rows: Vec<String> = variables
        .iter()
        .map(|(name, ty)| {
            format!("({name:?}, {ty:?}, (&&&course_lib::lab::inspect::Info(&{name})).data_info())")
        })
        .collect();
    Some(format!(
        "{{ use course_lib::lab::inspect::{{DebugInfo as _, LenInfo as _, NoInfo as _}}; \
         print!(\"{{}}\", course_lib::lab::inspect::whos(&[{}])); }}",
        rows.join(", ")
    ))
}
