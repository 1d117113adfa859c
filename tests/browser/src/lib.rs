//! A minimal WebDriver client, a static file server for `dist/`, and helpers for the browser tests.
//!
//! The tests drive Debian's Chromium through Debian's chromedriver over the W3C WebDriver protocol.
//! Everything runs on 127.0.0.1; nothing is downloaded.

pub mod http;
pub mod server;
pub mod webdriver;

use std::path::PathBuf;

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent()
        .and_then(|p| p.parent())
        .map(PathBuf::from)
        .unwrap_or(here)
}

/// Where screenshots go: `target/screenshots/` under the workspace.
pub fn screenshot_dir() -> PathBuf {
    let dir = workspace_root().join("target").join("screenshots");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// The built app: `$KPLAY_DIST`, or `dist/` in the workspace.
pub fn dist_dir() -> PathBuf {
    match std::env::var_os("KPLAY_DIST") {
        Some(d) => PathBuf::from(d),
        None => workspace_root().join("dist"),
    }
}

use std::sync::OnceLock;

static BASE_URL: OnceLock<String> = OnceLock::new();

/// The URL of the built app, served once per test binary from `dist_dir()`; `KPLAY_URL` points
/// at an app served elsewhere instead (e.g. `./run.sh serve` on http://127.0.0.1:8080).
pub fn app_url() -> &'static str {
    BASE_URL.get_or_init(|| {
        if let Ok(url) = std::env::var("KPLAY_URL") {
            return url.trim_end_matches('/').to_string();
        }
        let dist = dist_dir();
        assert!(
            dist.join("index.html").is_file(),
            "{} has no index.html: build the app first (`./run.sh test` runs `trunk build --release`)",
            dist.display()
        );
        server::serve(dist).expect("cannot serve dist/ on 127.0.0.1")
    })
}

/// What a measurement example plays: `KPLAY_QUERY` (default `?perf=big`, in English) and for how
/// many seconds, `KPLAY_SECONDS` (default 5).
pub fn measured_scenario() -> (String, u64) {
    let query = std::env::var("KPLAY_QUERY").unwrap_or_else(|_| "?lang=en&perf=big".into());
    (query, measured_seconds())
}

/// `KPLAY_SECONDS`: seconds a measurement example measures for (default 5).
pub fn measured_seconds() -> u64 {
    std::env::var("KPLAY_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
}

/// Opens the app at `query` (e.g. `?lang=en`) in a new window and waits for it to render.
pub fn open_app(width: u32, height: u32, query: &str) -> webdriver::Session {
    let session = webdriver::Driver::get().session(width, height);
    session
        .goto(&format!("{}/{query}", app_url()))
        .expect("navigate to the app");
    session.wait_for("[data-topic]");
    session
}
