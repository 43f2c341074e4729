//! The protocol handlers, tested through real ZeroMQ sockets on 127.0.0.1
//! with `jupyter-zmq-client`'s client connections, and the mock interpreter
//! behind the kernel.

mod client;

use client::{Client, media_text, parent_id, stream_text, types, within};
use jupyter_protocol::{
    CommInfoRequest, CompleteRequest, ExecuteRequest, ExecutionState, ExpressionResult,
    HistoryEntry, HistoryRequest, InputReply, InspectRequest, InterruptRequest,
    IsCompleteReplyStatus, IsCompleteRequest, JupyterMessage, JupyterMessageContent,
    KernelInfoRequest, Payload, ReplyStatus, ShutdownRequest,
};
use std::collections::HashMap;
use std::time::{Duration, Instant};

fn is_ok(status: &ReplyStatus) -> bool {
    matches!(status, ReplyStatus::Ok)
}

fn state(message: &JupyterMessage) -> Option<ExecutionState> {
    match &message.content {
        JupyterMessageContent::Status(status) => Some(status.execution_state.clone()),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cell_is_bracketed_by_busy_and_idle_with_its_input_and_result() {
    let mut client = Client::start().await;
    let (reply, published) = client.execute("print hi\nvalue 42").await;
    assert!(is_ok(&reply.status), "{reply:?}");
    assert_eq!(reply.execution_count.value(), 1);
    assert_eq!(
        types(&published),
        [
            "status",
            "execute_input",
            "stream",
            "execute_result",
            "status"
        ]
    );
    assert_eq!(state(&published[0]), Some(ExecutionState::Busy));
    assert_eq!(state(&published[4]), Some(ExecutionState::Idle));
    match &published[1].content {
        JupyterMessageContent::ExecuteInput(input) => {
            assert_eq!(input.code, "print hi\nvalue 42");
            assert_eq!(input.execution_count.value(), 1);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(stream_text(&published, "stdout"), "hi\n");
    match &published[3].content {
        JupyterMessageContent::ExecuteResult(result) => {
            assert_eq!(
                media_text(&result.data, "text/plain").as_deref(),
                Some("42")
            );
            assert_eq!(result.execution_count.value(), 1);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn execution_counts_follow_store_history() {
    let mut client = Client::start().await;
    assert_eq!(client.execute("value 1").await.0.execution_count.value(), 1);
    let unstored = ExecuteRequest {
        store_history: false,
        ..ExecuteRequest::new("value 2".into())
    };
    let (reply, published) = client.execute_request(unstored).await;
    assert_eq!(reply.execution_count.value(), 1, "not counted");
    assert!(types(&published).contains(&"execute_input"));
    assert_eq!(client.execute("value 3").await.0.execution_count.value(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_cell_publishes_nothing_and_is_not_counted() {
    let mut client = Client::start().await;
    let silent = ExecuteRequest {
        silent: true,
        ..ExecuteRequest::new("print hidden\ndisplay text/html <b>x</b>\nvalue 1".into())
    };
    let (reply, published) = client.execute_request(silent).await;
    assert!(is_ok(&reply.status));
    assert_eq!(
        types(&published),
        ["status", "status"],
        "only busy and idle"
    );
    let failing = ExecuteRequest {
        silent: true,
        ..ExecuteRequest::new("fail quietly".into())
    };
    let (reply, published) = client.execute_request(failing).await;
    assert!(matches!(reply.status, ReplyStatus::Error));
    assert_eq!(types(&published), ["status", "status"]);
    assert_eq!(client.execute("value 1").await.0.execution_count.value(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_cell_aborts_the_execute_requests_queued_behind_it() {
    let mut client = Client::start().await;
    let failing = client
        .send_shell(ExecuteRequest::new("sleep 0.3\nfail boom".into()))
        .await;
    let queued = client
        .send_shell(ExecuteRequest::new("print a".into()))
        .await;
    let info = client.send_shell(KernelInfoRequest {}).await;
    let also_queued = client
        .send_shell(ExecuteRequest::new("print b".into()))
        .await;

    let reply = client.shell_reply(&failing).await;
    let JupyterMessageContent::ExecuteReply(reply) = reply.content else {
        panic!("not an execute_reply");
    };
    assert!(matches!(reply.status, ReplyStatus::Error));
    let error = reply.error.expect("the error is in the reply");
    assert_eq!(
        (error.ename.as_str(), error.evalue.as_str()),
        ("MockError", "boom")
    );
    let published = client.iopub_until_idle(&failing).await;
    assert!(
        types(&published).contains(&"error"),
        "{:?}",
        types(&published)
    );

    for request in [&queued, &info, &also_queued] {
        let reply = client.shell_reply(request).await;
        match reply.content {
            JupyterMessageContent::ExecuteReply(reply) => {
                assert!(matches!(reply.status, ReplyStatus::Aborted), "{reply:?}")
            }
            JupyterMessageContent::KernelInfoReply(_) => {}
            other => panic!("{other:?}"),
        }
        let published = client.iopub_until_idle(request).await;
        assert_eq!(types(&published), ["status", "status"]);
    }
    assert_eq!(
        client.kernel.interpreter().executed(),
        ["sleep 0.3\nfail boom"]
    );

    // Sent after the failure was reported: it runs.
    let (reply, _) = client.execute("value 1").await;
    assert!(is_ok(&reply.status));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_stop_on_error_the_queued_cells_run() {
    let mut client = Client::start().await;
    let failing = ExecuteRequest {
        stop_on_error: false,
        ..ExecuteRequest::new("sleep 0.3\nfail boom".into())
    };
    let failing = client.send_shell(failing).await;
    let next = client
        .send_shell(ExecuteRequest::new("value 2".into()))
        .await;
    client.shell_reply(&failing).await;
    let reply = client.shell_reply(&next).await;
    match reply.content {
        JupyterMessageContent::ExecuteReply(reply) => assert!(is_ok(&reply.status)),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_output_is_coalesced() {
    let mut client = Client::start().await;
    let (_, published) = client.execute("lines 5000").await;
    let expected: String = (1..=5000).map(|i| format!("line {i}\n")).collect();
    assert_eq!(stream_text(&published, "stdout"), expected);
    let streams = types(&published).iter().filter(|t| **t == "stream").count();
    assert!(streams <= 20, "5000 lines took {streams} stream messages");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outputs_keep_their_order_around_displays() {
    let mut client = Client::start().await;
    let code = "print a\neprint b\ndisplay #p text/html <b>x</b>\nprint c\n\
                update #p text/plain y\nclear wait\nprint d";
    let (_, published) = client.execute(code).await;
    let outputs: Vec<&str> = types(&published)
        .into_iter()
        .filter(|t| !matches!(*t, "status" | "execute_input"))
        .collect();
    assert_eq!(
        outputs,
        [
            "stream",
            "stream",
            "display_data",
            "stream",
            "update_display_data",
            "clear_output",
            "stream"
        ]
    );
    let text: Vec<(String, String)> = published
        .iter()
        .filter_map(|m| match &m.content {
            JupyterMessageContent::StreamContent(s) => Some((
                serde_json::to_value(&s.name)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned(),
                s.text.clone(),
            )),
            _ => None,
        })
        .collect();
    let expected = [
        ("stdout", "a\n"),
        ("stderr", "b\n"),
        ("stdout", "c\n"),
        ("stdout", "d\n"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    assert_eq!(text, expected);
    for message in &published {
        match &message.content {
            JupyterMessageContent::DisplayData(display) => {
                assert_eq!(
                    media_text(&display.data, "text/html").as_deref(),
                    Some("<b>x</b>")
                );
                let id = display
                    .transient
                    .as_ref()
                    .and_then(|t| t.display_id.as_deref());
                assert_eq!(id, Some("p"));
            }
            JupyterMessageContent::UpdateDisplayData(update) => {
                assert_eq!(media_text(&update.data, "text/plain").as_deref(), Some("y"));
                assert_eq!(update.transient.display_id.as_deref(), Some("p"));
            }
            JupyterMessageContent::ClearOutput(clear) => assert!(clear.wait),
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_expressions_are_evaluated_quietly_after_the_cell() {
    let mut client = Client::start().await;
    let request = ExecuteRequest {
        user_expressions: Some(HashMap::from([
            ("answer".to_owned(), "print noisy\nvalue 42".to_owned()),
            ("broken".to_owned(), "fail nope".to_owned()),
        ])),
        ..ExecuteRequest::new("print x".into())
    };
    let (reply, published) = client.execute_request(request).await;
    assert!(is_ok(&reply.status));
    assert_eq!(
        stream_text(&published, "stdout"),
        "x\n",
        "expressions are silent"
    );
    let results = reply.user_expressions.expect("user_expressions");
    match &results["answer"] {
        ExpressionResult::Ok { data, .. } => {
            assert_eq!(media_text(data, "text/plain").as_deref(), Some("42"))
        }
        other => panic!("{other:?}"),
    }
    match &results["broken"] {
        ExpressionResult::Error { ename, evalue, .. } => {
            assert_eq!((ename.as_str(), evalue.as_str()), ("MockError", "nope"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(client.execute("value 1").await.0.execution_count.value(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_keeps_the_stored_cells_with_their_results() {
    let mut client = Client::start().await;
    client.execute("value 1").await;
    client.execute("print b").await;
    let unstored = ExecuteRequest {
        store_history: false,
        ..ExecuteRequest::new("print c".into())
    };
    client.execute_request(unstored).await;
    let request = client
        .send_shell(HistoryRequest::Tail {
            n: 10,
            output: true,
            raw: true,
        })
        .await;
    let reply = client.shell_reply(&request).await;
    let JupyterMessageContent::HistoryReply(reply) = reply.content else {
        panic!("not a history_reply");
    };
    let found: Vec<(usize, String, String)> = reply
        .history
        .into_iter()
        .map(|entry| match entry {
            HistoryEntry::InputOutput(_, line, (input, output)) => (line, input, output),
            HistoryEntry::Input(_, line, input) => (line, input, String::new()),
        })
        .collect();
    assert_eq!(
        found,
        [
            (1, "value 1".to_owned(), "1".to_owned()),
            (2, "print b".to_owned(), String::new())
        ]
    );
    let saved = std::fs::read_to_string(client.history_dir.path().join("history.jsonl")).unwrap();
    assert_eq!(saved.lines().count(), 2, "{saved}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kernel_info_is_answered_on_shell_and_on_control() {
    let mut client = Client::start().await;
    let on_shell = client.send_shell(KernelInfoRequest {}).await;
    let on_control = client.send_control(KernelInfoRequest {}).await;
    let replies = [
        client.shell_reply(&on_shell).await,
        client.control_reply(&on_control).await,
    ];
    for reply in replies {
        match reply.content {
            JupyterMessageContent::KernelInfoReply(info) => {
                assert_eq!(info.protocol_version, "5.3");
                assert_eq!(info.implementation, "mock");
                assert_eq!(info.language_info.name, "mock");
                assert!(is_ok(&info.status));
            }
            other => panic!("{other:?}"),
        }
    }
    // Both are bracketed by busy and idle (shell and control are served at
    // the same time, so their statuses may interleave).
    let mut states: HashMap<String, Vec<ExecutionState>> = HashMap::new();
    while states.values().flatten().count() < 4 {
        let message = within("a status", client.iopub.read()).await.unwrap();
        if let (Some(parent), Some(state)) = (parent_id(&message), state(&message)) {
            states.entry(parent.to_owned()).or_default().push(state);
        }
    }
    for request in [&on_shell, &on_control] {
        assert_eq!(
            states[&request.header.msg_id],
            [ExecutionState::Busy, ExecutionState::Idle]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn is_complete_maps_the_interpreters_answer() {
    let mut client = Client::start().await;
    let cases = [
        ("print a", IsCompleteReplyStatus::Complete, ""),
        ("print a\\", IsCompleteReplyStatus::Incomplete, "  "),
        ("jump", IsCompleteReplyStatus::Invalid, ""),
    ];
    for (code, status, indent) in cases {
        let request = client
            .send_shell(IsCompleteRequest { code: code.into() })
            .await;
        let reply = client.shell_reply(&request).await;
        let JupyterMessageContent::IsCompleteReply(reply) = reply.content else {
            panic!("not an is_complete_reply");
        };
        assert_eq!(
            serde_json::to_value(&reply.status).unwrap(),
            serde_json::to_value(&status).unwrap(),
            "{code:?}"
        );
        assert_eq!(reply.indent, indent, "{code:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_and_inspection_count_code_points() {
    let mut client = Client::start().await;
    // "é" is two bytes and one code point: the cursor after "pr" is at 4.
    let request = client
        .send_shell(CompleteRequest {
            code: "é pr".into(),
            cursor_pos: 4,
        })
        .await;
    let reply = client.shell_reply(&request).await;
    let JupyterMessageContent::CompleteReply(reply) = reply.content else {
        panic!("not a complete_reply");
    };
    assert_eq!(reply.matches, ["print"]);
    assert_eq!((reply.cursor_start, reply.cursor_end), (2, 4));

    let request = client
        .send_shell(InspectRequest {
            code: "é print".into(),
            cursor_pos: 3,
            detail_level: Some(0),
        })
        .await;
    let reply = client.shell_reply(&request).await;
    let JupyterMessageContent::InspectReply(reply) = reply.content else {
        panic!("not an inspect_reply");
    };
    assert!(reply.found, "the word under the cursor is found whole");
    let text = media_text(&reply.data, "text/plain").unwrap();
    assert!(text.starts_with("`print TEXT`"), "{text}");

    let request = client
        .send_shell(InspectRequest {
            code: "nothing".into(),
            cursor_pos: 3,
            detail_level: Some(0),
        })
        .await;
    let reply = client.shell_reply(&request).await;
    let JupyterMessageContent::InspectReply(reply) = reply.content else {
        panic!("not an inspect_reply");
    };
    assert!(!reply.found);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_and_a_question_mark_page_its_documentation() {
    let mut client = Client::start().await;
    let (reply, published) = client.execute("sleep?").await;
    assert!(is_ok(&reply.status));
    match reply.payload.as_slice() {
        [Payload::Page { data, .. }] => {
            let text = media_text(data, "text/plain").unwrap();
            assert!(text.starts_with("`sleep SECONDS`"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        client.kernel.interpreter().executed().is_empty(),
        "nothing ran"
    );
    assert!(!types(&published).contains(&"execute_result"));
    let (reply, _) = client.execute("nothing?").await;
    match reply.payload.as_slice() {
        [Payload::Page { data, .. }] => {
            let text = media_text(data, "text/plain").unwrap();
            assert_eq!(text, "No documentation found for `nothing`.");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupt_on_control_stops_the_running_cell() {
    let mut client = Client::start().await;
    let started = Instant::now();
    let cell = client
        .send_shell(ExecuteRequest::new(
            "print started\nsleep 30\nprint never".into(),
        ))
        .await;
    loop {
        let message = client.next_iopub(&cell).await;
        if matches!(message.content, JupyterMessageContent::StreamContent(_)) {
            break;
        }
    }
    let interrupt = client.send_control(InterruptRequest {}).await;
    let reply = client.control_reply(&interrupt).await;
    assert!(matches!(
        reply.content,
        JupyterMessageContent::InterruptReply(_)
    ));
    let reply = client.shell_reply(&cell).await;
    let JupyterMessageContent::ExecuteReply(reply) = reply.content else {
        panic!("not an execute_reply");
    };
    assert!(matches!(reply.status, ReplyStatus::Error));
    assert_eq!(reply.error.unwrap().ename, "Interrupted");
    assert!(started.elapsed() < Duration::from_secs(10));
    let published = client.iopub_until_idle(&cell).await;
    assert!(!stream_text(&published, "stdout").contains("never"));
    assert_eq!(client.kernel.interpreter().interrupts(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_request_is_answered_then_the_interpreter_shuts_down() {
    let mut client = Client::start().await;
    let request = client
        .send_control(ShutdownRequest { restart: false })
        .await;
    let reply = client.control_reply(&request).await;
    match reply.content {
        JupyterMessageContent::ShutdownReply(reply) => {
            assert!(!reply.restart);
            assert!(is_ok(&reply.status));
        }
        other => panic!("{other:?}"),
    }
    within("the shutdown", client.kernel.until_shutdown()).await;
    assert!(client.kernel.interpreter().is_shut_down());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_input_request_goes_to_the_frontend_and_its_reply_to_the_cell() {
    let mut client = Client::start().await;
    let request = ExecuteRequest {
        allow_stdin: true,
        ..ExecuteRequest::new("print before\ninput Name: ".into())
    };
    let cell = client.send_shell(request).await;
    let asked = within("an input request", client.stdin.read())
        .await
        .unwrap();
    assert_eq!(parent_id(&asked), Some(cell.header.msg_id.as_str()));
    match &asked.content {
        JupyterMessageContent::InputRequest(request) => {
            assert_eq!(request.prompt, "Name: ");
            assert!(!request.password);
        }
        other => panic!("{other:?}"),
    }
    let answer = InputReply {
        value: "Ada".into(),
        status: ReplyStatus::Ok,
        error: None,
    };
    client
        .stdin
        .send(JupyterMessage::new(answer, Some(&asked)))
        .await
        .unwrap();
    let reply = client.shell_reply(&cell).await;
    assert!(
        matches!(reply.content, JupyterMessageContent::ExecuteReply(ref r) if is_ok(&r.status))
    );
    let published = client.iopub_until_idle(&cell).await;
    assert_eq!(stream_text(&published, "stdout"), "before\nAda\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_allow_stdin_input_is_an_empty_line() {
    let mut client = Client::start().await;
    let (reply, published) = client.execute("input Name: ").await;
    assert!(is_ok(&reply.status));
    assert_eq!(stream_text(&published, "stdout"), "\n");
    let asked = tokio::time::timeout(Duration::from_millis(200), client.stdin.read()).await;
    assert!(asked.is_err(), "no input_request was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_with_a_bad_signature_is_dropped_and_the_kernel_serves_on() {
    use zeromq::Socket;
    let mut client = Client::start().await;
    let mut socket = zeromq::DealerSocket::new();
    socket
        .connect(&client.connection.shell_url())
        .await
        .unwrap();
    let mut forger = jupyter_zmq_client::Connection::new(socket, "not the key", "forger-session");
    let forged = JupyterMessage::new(ExecuteRequest::new("print forged".into()), None);
    forger.send(forged).await.unwrap();

    let (reply, _) = client.execute("value 1").await;
    assert!(is_ok(&reply.status));
    assert_eq!(client.kernel.interpreter().executed(), ["value 1"]);
    let answered = tokio::time::timeout(Duration::from_millis(300), forger.read()).await;
    assert!(answered.is_err(), "the forged request got a reply");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_are_echoed_and_comm_info_is_empty() {
    let mut client = Client::start().await;
    let mut heartbeat = jupyter_zmq_client::create_client_heartbeat_connection(&client.connection)
        .await
        .unwrap();
    within("a heartbeat", heartbeat.single_heartbeat())
        .await
        .unwrap();
    let request = client
        .send_shell(CommInfoRequest { target_name: None })
        .await;
    let reply = client.shell_reply(&request).await;
    match reply.content {
        JupyterMessageContent::CommInfoReply(reply) => {
            assert!(is_ok(&reply.status));
            assert!(reply.comms.is_empty());
        }
        other => panic!("{other:?}"),
    }
}
