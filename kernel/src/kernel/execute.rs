//! execute_request: run a cell, publish what it shows, reply with its status.

use super::outputs::CellOutcome;
use super::{Kernel, inspect, media};
use crate::engine::CellError;
use jupyter_protocol::{
    ErrorOutput, ExecuteInput, ExecuteReply, ExecuteRequest, ExecuteResult, ExecutionCount,
    ExpressionResult, JupyterMessage, ReplyError, ReplyStatus, Transient,
};
use std::collections::HashMap;
use std::sync::atomic::Ordering;

/// Runs one execute request; `Err` in the reply's status means the cell failed.
pub async fn execute(
    kernel: &Kernel,
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
    *kernel.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(message.clone());

    let mut payload = Vec::new();
    let outcome = match inspect::help_target(&request.code) {
        Some(target) => {
            payload.push(inspect::page(kernel, target).await);
            Ok(None)
        }
        None => run_cell(kernel, &request.code, request.silent, request.allow_stdin).await,
    };
    let output_text = match &outcome {
        Ok(Some(bundle)) => bundle.get("text/plain").cloned(),
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
                reply.user_expressions = Some(user_expressions(kernel, expressions).await);
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

/// Runs code in the session and waits for its end, outputs routed meanwhile.
async fn run_cell(kernel: &Kernel, code: &str, silent: bool, allow_stdin: bool) -> CellOutcome {
    let done = kernel.outputs.expect_cell(silent);
    kernel.engine.execute(code, allow_stdin);
    done.await.unwrap_or_else(|_| {
        Err(CellError::message(
            "EngineStopped",
            "The Rust engine stopped before the cell ended.",
        ))
    })
}

/// Evaluates each user expression quietly after a successful cell.
async fn user_expressions(
    kernel: &Kernel,
    expressions: &HashMap<String, String>,
) -> HashMap<String, ExpressionResult> {
    let mut results = HashMap::new();
    for (name, expression) in expressions {
        let result = match run_cell(kernel, expression, true, false).await {
            Ok(value) => ExpressionResult::Ok {
                data: media(value.unwrap_or_default()),
                metadata: Default::default(),
            },
            Err(error) => ExpressionResult::Error {
                ename: error.ename,
                evalue: error.evalue,
                traceback: error.traceback,
            },
        };
        results.insert(name.clone(), result);
    }
    results
}

/// The reply to an execute request that was not run because an earlier cell failed.
pub fn aborted(kernel: &Kernel) -> ExecuteReply {
    ExecuteReply {
        status: ReplyStatus::Aborted,
        execution_count: ExecutionCount::new(kernel.execution_count.load(Ordering::SeqCst)),
        ..ExecuteReply::default()
    }
}
