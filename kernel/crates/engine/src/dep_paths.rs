//! `:dep` paths, read from the notebook's directory.
//!
//! evcxr resolves a local crate's relative path (`:dep ../mylib`, or
//! `:dep mylib = { path = "mylib" }`) against its working directory. The
//! kernel works in its private session directory ([`crate::KernelSetup`]),
//! so before a cell reaches evcxr its relative `:dep` paths are joined to
//! the notebook's directory, where a student means them.

use std::borrow::Cow;
use std::path::Path;

/// `code` with the relative paths of its `:dep` lines made absolute
/// against `base`.
pub fn absolute<'a>(code: &'a str, base: &Path) -> Cow<'a, str> {
    if !code
        .lines()
        .any(|line| line.trim_start().starts_with(":dep "))
    {
        return Cow::Borrowed(code);
    }
    let lines: Vec<String> = code
        .split('\n')
        .map(|line| match line.trim_start().strip_prefix(":dep ") {
            Some(args) => format!(":dep {}", absolute_args(args.trim_start(), base)),
            None => line.to_owned(),
        })
        .collect();
    Cow::Owned(lines.join("\n"))
}

/// The arguments of one `:dep`, in either of evcxr's forms.
fn absolute_args(args: &str, base: &Path) -> String {
    if args.starts_with('.') && !args.contains('=') {
        return join(base, args.trim_end());
    }
    let Some(key) = find_path_key(args) else {
        return args.to_owned();
    };
    let value_start = key + 1;
    let Some(length) = args[value_start..].find('"') else {
        return args.to_owned();
    };
    let value = &args[value_start..value_start + length];
    if Path::new(value).is_absolute() {
        return args.to_owned();
    }
    let joined = join(base, value).replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "{}{joined}{}",
        &args[..value_start],
        &args[value_start + length..]
    )
}

/// The index of the opening quote of `path = "…"` in `args`, if any.
fn find_path_key(args: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = args[from..].find("path") {
        let after = from + found + "path".len();
        let rest = args[after..].trim_start();
        if let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start();
            if value.starts_with('"') {
                return Some(args.len() - value.len());
            }
        }
        from = after;
    }
    None
}

fn join(base: &Path, relative: &str) -> String {
    base.join(relative).to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_joined_to_the_notebook_directory() {
        let base = Path::new("/home/ada/course");
        assert_eq!(
            absolute(":dep ../mylib\nlet x = 1;", base),
            ":dep /home/ada/course/../mylib\nlet x = 1;"
        );
        assert_eq!(
            absolute(
                ":dep mylib = { path = \"libs/mylib\", features = [\"a\"] }",
                base
            ),
            ":dep mylib = { path = \"/home/ada/course/libs/mylib\", features = [\"a\"] }"
        );
    }

    #[test]
    fn other_lines_and_absolute_paths_are_unchanged() {
        let base = Path::new("/home/ada");
        for code in [
            ":dep regex = \"1\"",
            ":dep x = { path = \"/opt/x\" }",
            "let path = \"a\";",
            ":dep serde = { version = \"1\", features = [\"derive\"] }",
        ] {
            assert_eq!(absolute(code, base), code);
        }
    }
}
