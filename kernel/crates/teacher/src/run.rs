//! `rcourse run`: executes a notebook top to bottom on the kernel, headless,
//! as nbclient does, and saves it with its outputs.
//!
//! The first failing cell stops the run (the notebook is saved up to it)
//! and makes the command fail, naming the cell; with `--allow-errors`, or
//! for cells tagged `raises-exception`, failures are recorded and the run
//! goes on. A cell that runs longer than the timeout is interrupted and
//! counts as failed; if the kernel does not come back it is restarted, and
//! the cells after it run in a fresh session.

use crate::client::{Outcome, Restarting};
use crate::error::{Error, Place, Result};
use crate::grade::launch_for;
use crate::nbgrader::CellMeta;
use crate::notebook::{
    Notebook, cell_source, cell_tags, cell_type, clear_outputs, first_code_line,
};
use crate::sandbox::Limits;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The tag of cells that are meant to fail (as nbclient reads it).
pub const RAISES_EXCEPTION: &str = "raises-exception";

/// What `rcourse run` was asked to do.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The notebook to run.
    pub notebook: PathBuf,
    /// Where to save it; `NAME.nbconvert.ipynb` beside it by default.
    pub out: Option<PathBuf>,
    /// The longest a cell may run.
    pub timeout: Duration,
    /// Go on after a failing cell.
    pub allow_errors: bool,
    /// Run the kernel in a sandbox with these limits.
    pub sandbox: Option<Limits>,
}

/// Runs the command.
pub fn run(options: RunOptions) -> Result<()> {
    let mut notebook = Notebook::read(&options.notebook)?;
    let out = options
        .out
        .clone()
        .unwrap_or_else(|| default_output(&options.notebook));
    let clock = Instant::now();
    let failure = block_on_interruptible(execute_notebook(&mut notebook, &options))?;
    notebook.write_to(&out)?;
    let seconds = clock.elapsed().as_secs_f64();
    match failure {
        None => {
            println!(
                "Ran {} in {seconds:.1} s; saved it with its outputs to {}",
                options.notebook.display(),
                out.display()
            );
            Ok(())
        }
        Some(Failure { place, what }) => Err(Error::at(
            place,
            format!(
                "{what}; the notebook, run up to that cell, is saved in {}",
                out.display()
            ),
        )),
    }
}

/// `dir/NAME.nbconvert.ipynb` for `dir/NAME.ipynb`, as `jupyter nbconvert
/// --execute --to notebook` names it.
fn default_output(notebook: &Path) -> PathBuf {
    let stem = notebook
        .file_stem()
        .map_or_else(|| "notebook".into(), |s| s.to_string_lossy());
    notebook.with_file_name(format!("{stem}.nbconvert.ipynb"))
}

/// The cell that stopped the run: where it is, and how it failed.
struct Failure {
    place: Place,
    what: String,
}

/// Executes every code cell in place; returns the first failure that stops
/// the run, if any.
async fn execute_notebook(
    notebook: &mut Notebook,
    options: &RunOptions,
) -> Result<Option<Failure>> {
    let path = notebook.path.clone();
    for cell in notebook.cells_mut() {
        clear_outputs(cell);
    }
    let mut launch = launch_for(options.sandbox)?;
    launch.notebook = Some(notebook.path.clone());
    let mut kernel = Restarting::new(launch);
    let mut failure = None;
    let count = notebook.cells().len();
    for index in 0..count {
        let cell = &notebook.cells()[index];
        let source = cell_source(cell);
        if cell_type(cell) != "code" || source.trim().is_empty() {
            continue;
        }
        let allowed = options.allow_errors || cell_tags(cell).contains(&RAISES_EXCEPTION);
        let grade_id = CellMeta::of(cell).grade_id;
        let execution = match kernel.execute(&source, options.timeout).await {
            Ok(execution) => execution,
            Err(error) => {
                kernel.shut_down().await;
                return Err(Error::in_notebook(&path, format!("cannot run it: {error}")));
            }
        };
        let cell = &mut notebook.cells_mut()[index];
        cell["outputs"] = Value::Array(execution.outputs);
        cell["execution_count"] = execution.execution_count.map_or(Value::Null, Value::from);
        if execution.outcome == Outcome::Ok {
            continue;
        }
        let place = notebook.place(index, grade_id.as_deref());
        let what = execution.outcome.describe(options.timeout);
        if allowed {
            if !cell_tags(&notebook.cells()[index]).contains(&RAISES_EXCEPTION) {
                eprintln!("rcourse: {place}: {what} (going on: --allow-errors)");
            }
            continue;
        }
        for line in &execution.traceback {
            eprintln!("{line}");
        }
        failure = Some(Failure {
            place,
            what: format!("{what} (in `{}`)", first_code_line(&source)),
        });
        break;
    }
    if let Some(info) = kernel.language_info() {
        notebook.json["metadata"]["language_info"] = info;
    }
    kernel.shut_down().await;
    Ok(failure)
}

/// Runs `future` to its end on this thread; Ctrl-C stops it (its kernels
/// are killed as they are dropped) and fails.
pub fn block_on_interruptible<T>(future: impl Future<Output = Result<T>>) -> Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the async runtime", e))?;
    runtime.block_on(async {
        tokio::select! {
            result = future => result,
            _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_goes_beside_the_notebook() {
        assert_eq!(
            default_output(Path::new("course/01-intro.ipynb")),
            Path::new("course/01-intro.nbconvert.ipynb")
        );
    }
}
