//! execute_request: every protocol chore around running a cell (IPython's
//! `execute_request`), with the interpreter's `execute` as the one step that
//! runs code.

use crate::interpreter::{CellError, CellOutcome, Interpreter};
use crate::kernel::Kernel;
use crate::{inspect, media};
use jupyter_protocol::{
    ErrorOutput, ExecuteInput, ExecuteReply, ExecuteRequest, ExecuteResult, ExecutionCount,
    ExpressionResult, JupyterMessage, ReplyError, ReplyStatus, Transient,
};
use std::collections::HashMap;
use std::sync::atomic::Ordering;

/// Runs one execute request; `Err` in the reply's status means the cell failed.
pub async fn execute<I: Interpreter>(
    kernel: &Kernel<I>,
    message: &JupyterMessage,
    request: &ExecuteRequest,
) -> ExecuteReply {
    let store = request.store_history && !request.silent;
    let count = if store {
        kernel.execution_count.fetch_add(1, Ordering::SeqCst) + 1
    } else {
        kernel.execution_count.load(Ordering::SeqCst)
    };
    let execution_count = ExecutionCount::new(count);
    if !request.silent {
        kernel.publish(
            ExecuteInput {
                code: request.code.clone(),
                execution_count,
            },
            Some(message),
        );
    }

    let mut payload = Vec::new();
    let outcome = match inspect::help_target(&request.code) {
        Some(target) => {
            payload.push(inspect::page(&kernel.interpreter, target).await);
            Ok(None)
        }
        None => {
            let cell = kernel.running_cell(message, request.silent, request.allow_stdin);
            run_cell(kernel, &request.code, cell).await
        }
    };
    let output_text = match &outcome {
        Ok(Some(bundle)) => bundle.get("text/plain").map(str::to_owned),
        _ => None,
    };
    if store {
        kernel
            .history
            .record(count, &request.code, output_text.as_deref());
    }
    let mut reply = ExecuteReply {
        status: ReplyStatus::Ok,
        execution_count,
        payload,
        user_expressions: Some(HashMap::new()),
        error: None,
    };
    match outcome {
        Ok(value) => {
            if let (Some(bundle), false) = (value, request.silent) {
                let result = ExecuteResult {
                    transient: Some(Transient::default()),
                    ..ExecuteResult::new(execution_count, media(bundle))
                };
                kernel.publish(result, Some(message));
            }
            if let Some(expressions) = &request.user_expressions {
                reply.user_expressions = Some(user_expressions(kernel, message, expressions).await);
            }
        }
        Err(error) => {
            if !request.silent {
                kernel.publish(
                    ErrorOutput {
                        ename: error.ename.clone(),
                        evalue: error.evalue.clone(),
                        traceback: error.traceback.clone(),
                    },
                    Some(message),
                );
            }
            reply.status = ReplyStatus::Error;
            reply.error = Some(Box::new(ReplyError {
                ename: error.ename,
                evalue: error.evalue,
                traceback: error.traceback,
            }));
        }
    }
    reply
}

/// Runs code through the interpreter, and waits until what it showed has
/// been published.
async fn run_cell<I: Interpreter>(
    kernel: &Kernel<I>,
    code: &str,
    cell: crate::RunningCell,
) -> CellOutcome {
    let outcome = kernel.interpreter.execute(code, cell.clone()).await;
    cell.flush().await;
    outcome
}

/// Evaluates each user expression quietly after a successful cell.
async fn user_expressions<I: Interpreter>(
    kernel: &Kernel<I>,
    message: &JupyterMessage,
    expressions: &HashMap<String, String>,
) -> HashMap<String, ExpressionResult> {
    let mut results = HashMap::new();
    for (name, expression) in expressions {
        let cell = kernel.running_cell(message, true, false);
        let result = match run_cell(kernel, expression, cell).await {
            Ok(value) => ExpressionResult::Ok {
                data: media(value.unwrap_or_default()),
                metadata: Default::default(),
            },
            Err(CellError {
                ename,
                evalue,
                traceback,
            }) => ExpressionResult::Error {
                ename,
                evalue,
                traceback,
            },
        };
        results.insert(name.clone(), result);
    }
    results
}

/// The reply to an execute request that was not run because an earlier cell failed.
pub fn aborted<I>(kernel: &Kernel<I>) -> ExecuteReply {
    ExecuteReply {
        status: ReplyStatus::Aborted,
        execution_count: ExecutionCount::new(kernel.execution_count.load(Ordering::SeqCst)),
        ..ExecuteReply::default()
    }
}
