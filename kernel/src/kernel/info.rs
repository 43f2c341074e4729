//! kernel_info: what the kernel is and which Rust it compiles with.

use jupyter_protocol::{CodeMirrorMode, HelpLink, KernelInfoReply, LanguageInfo, ReplyStatus};
use tokio::sync::OnceCell;

/// The kernel's description; the Rust version is read once, in the background.
pub struct Info {
    rust_version: std::sync::Arc<OnceCell<String>>,
}

impl Info {
    /// Starts reading `rustc --version` without waiting for it.
    pub fn start() -> Info {
        let rust_version = std::sync::Arc::new(OnceCell::new());
        let cell = std::sync::Arc::clone(&rust_version);
        tokio::spawn(async move {
            cell.get_or_init(read_rust_version).await;
        });
        Info { rust_version }
    }

    /// The kernel_info reply.
    pub async fn reply(&self) -> KernelInfoReply {
        let version = self
            .rust_version
            .get_or_init(read_rust_version)
            .await
            .clone();
        KernelInfoReply {
            status: ReplyStatus::Ok,
            protocol_version: "5.3".into(),
            implementation: "rcourse".into(),
            implementation_version: env!("CARGO_PKG_VERSION").into(),
            language_info: LanguageInfo {
                name: "rust".into(),
                version: version.clone(),
                mimetype: Some("text/rust".into()),
                file_extension: Some(".rs".into()),
                pygments_lexer: Some("rust".into()),
                codemirror_mode: Some(CodeMirrorMode::Simple("rust".into())),
                nbconvert_exporter: None,
            },
            banner: format!(
                "rcourse {} — Rust {version} with course_lib preloaded (`use course_lib::prelude::*;`)",
                env!("CARGO_PKG_VERSION")
            ),
            help_links: [
                (
                    "The Rust Programming Language",
                    "https://doc.rust-lang.org/book/",
                ),
                ("Rust standard library", "https://doc.rust-lang.org/std/"),
                (
                    "Rust by Example",
                    "https://doc.rust-lang.org/rust-by-example/",
                ),
                (
                    "evcxr commands",
                    "https://github.com/evcxr/evcxr/blob/main/COMMON.md",
                ),
            ]
            .into_iter()
            .map(|(text, url)| HelpLink {
                text: text.into(),
                url: url.into(),
            })
            .collect(),
            debugger: false,
            error: None,
        }
    }
}

/// The version number from `rustc --version` ("1.95.0"), or "unknown".
async fn read_rust_version() -> String {
    let output = tokio::process::Command::new("rustc")
        .arg("--version")
        .output()
        .await;
    output
        .ok()
        .and_then(|out| {
            String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .nth(1)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "unknown".into())
}
