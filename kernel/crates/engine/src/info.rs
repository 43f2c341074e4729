//! What the engine tells `kernel_info`: the kernel, and which Rust it
//! compiles with.

use rcourse_protocol::{CodeMirrorMode, HelpLink, KernelInfo, LanguageInfo};
use tokio::sync::watch;

/// The kernel's description; the Rust version is read once, in the background.
pub struct Info {
    rust_version: watch::Receiver<Option<String>>,
}

impl Info {
    /// Starts reading `rustc --version` without waiting for it.
    pub fn start() -> Info {
        let (version, rust_version) = watch::channel(None);
        let spawned = std::thread::Builder::new()
            .name("rustc-version".into())
            .spawn(move || version.send_replace(Some(read_rust_version())));
        if let Err(error) = spawned {
            log::warn!("cannot read the Rust version: {error}");
        }
        Info { rust_version }
    }

    /// The description, once the Rust version is known.
    pub async fn get(&self) -> KernelInfo {
        let mut receiver = self.rust_version.clone();
        let version = match receiver.wait_for(Option::is_some).await {
            Ok(version) => version.clone().unwrap_or_default(),
            Err(_) => "unknown".to_owned(),
        };
        describe(version)
    }
}

fn describe(version: String) -> KernelInfo {
    KernelInfo {
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
    }
}

/// The version number from `rustc --version` ("1.95.0"), or "unknown".
fn read_rust_version() -> String {
    let output = std::process::Command::new("rustc")
        .arg("--version")
        .output();
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
