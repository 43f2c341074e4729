//! `%%writefile`: writes the cell's body to a file, as IPython's does. The
//! kernel writes it while expanding the cell; nothing is compiled.

use super::registry::{Call, Form, Magic, MagicOption};
use super::{Expansion, MagicError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// `%%writefile [-a] PATH` + cell body.
pub const MAGIC: Magic = Magic {
    name: "writefile",
    help: "Write the cell body to the file PATH, relative to the notebook's folder \
           (quote a PATH with spaces; `~` is your home folder). The body is written \
           as it is, not run. Prints `Writing PATH` for a new file, `Overwriting PATH` \
           for one that is replaced.",
    options: &[MagicOption::switch(
        'a',
        "append to the file instead of replacing it (`Appending to PATH`)",
    )],
    line: None,
    cell: Some(Form {
        args: "PATH",
        value: false,
        expand,
    }),
};

fn expand(call: &Call) -> Result<Expansion, MagicError> {
    let path = target(&call.rest).ok_or_else(|| call.usage_error("no file to write to"))?;
    let body = call.body.unwrap_or_default();
    write(&path, body, call.options.has('a'))
        .map(Expansion::print)
        .map_err(|error| MagicError {
            magic: "%%writefile".to_owned(),
            message: format!("cannot write {}: {error}", path.display()),
        })
}

/// The file named by `argument`: without its quotes, `~/` meaning the home
/// folder. `None` when no file is named.
fn target(argument: &str) -> Option<PathBuf> {
    let unquoted = ['"', '\'']
        .iter()
        .find_map(|quote| {
            argument
                .strip_prefix(*quote)
                .and_then(|rest| rest.strip_suffix(*quote))
        })
        .unwrap_or(argument);
    if unquoted.is_empty() {
        return None;
    }
    if let Some(in_home) = unquoted.strip_prefix("~/")
        && let Some(home) = std::env::home_dir()
    {
        return Some(home.join(in_home));
    }
    Some(PathBuf::from(unquoted))
}

/// Writes `body` to `path` (replacing the file, or after its end when
/// `append`), ending with a newline as a cell's text does in IPython.
/// Gives the line to print (the kernel ends it with a newline): `Writing`,
/// `Overwriting` or `Appending to` PATH.
fn write(path: &Path, body: &str, append: bool) -> std::io::Result<String> {
    let verb = match (path.exists(), append) {
        (false, _) => "Writing",
        (true, false) => "Overwriting",
        (true, true) => "Appending to",
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(path)?;
    file.write_all(body.as_bytes())?;
    if !body.is_empty() && !body.ends_with('\n') {
        file.write_all(b"\n")?;
    }
    Ok(format!("{verb} {}", path.display()))
}

#[cfg(test)]
mod tests {
    use crate::{MagicContext, expand};
    use std::path::PathBuf;

    /// A folder of its own for one test, removed afterwards.
    struct Folder(PathBuf);

    impl Folder {
        fn new(test: &str) -> Folder {
            let path = std::env::temp_dir().join(format!(
                "rcourse-writefile-{}-{test}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            Folder(path)
        }
    }

    impl Drop for Folder {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn run(code: &str) -> Result<String, String> {
        let context = MagicContext {
            opt_level: "2",
            variables: &[],
            warnings: true,
        };
        match expand(code, &context) {
            Ok(expansion) => {
                assert_eq!(expansion.code, "", "nothing is compiled");
                Ok(expansion.printed)
            }
            Err(error) => Err(error.traceback().join("\n")),
        }
    }

    #[test]
    fn writes_overwrites_and_appends() {
        let folder = Folder::new("writes");
        let file = folder.0.join("notes.txt");
        let shown = file.display();
        assert_eq!(
            run(&format!("%%writefile {shown}\nfirst line\n{{ not run }}")),
            Ok(format!("Writing {shown}"))
        );
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "first line\n{ not run }\n"
        );
        assert_eq!(
            run(&format!("%%writefile {shown}\nsecond")),
            Ok(format!("Overwriting {shown}"))
        );
        assert_eq!(
            run(&format!("%%writefile -a {shown}\nthird\n")),
            Ok(format!("Appending to {shown}"))
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "second\nthird\n");
    }

    #[test]
    fn appending_to_a_new_file_writes_it_and_quotes_allow_spaces() {
        let folder = Folder::new("quotes");
        let file = folder.0.join("with space.rs");
        let shown = file.display();
        assert_eq!(
            run(&format!("%%writefile -a \"{shown}\"\nfn main() {{}}")),
            Ok(format!("Writing {shown}"))
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "fn main() {}\n");
    }

    #[test]
    fn an_unwritable_path_is_a_usage_error_naming_it() {
        let folder = Folder::new("unwritable");
        let file = folder.0.join("missing-folder").join("notes.txt");
        let error = run(&format!("%%writefile {}\ntext", file.display())).unwrap_err();
        assert!(
            error.starts_with(&format!(
                "UsageError: %%writefile: cannot write {}: ",
                file.display()
            )),
            "{error}"
        );
        assert!(!file.exists());
        let error = run("%%writefile\ntext").unwrap_err();
        assert!(error.contains("no file to write to"), "{error}");
        assert!(error.contains("Usage: %%writefile [-a] PATH + cell body"), "{error}");
        let error = run("%writefile notes.txt").unwrap_err();
        assert!(
            error.contains("but cell magic `%%writefile` exists"),
            "{error}"
        );
    }

    #[test]
    fn the_cell_syntax_reads_its_body_as_text() {
        assert!(rcourse_syntax::lines::has_text_body(super::MAGIC.name));
    }
}
