//! A screenshot of the built app (not a test): opens `KPLAY_QUERY` at `KPLAY_SIZE` (default
//! 1280x800), waits `KPLAY_WAIT_MS` (default 3000) and writes target/screenshots/`KPLAY_NAME`.png;
//! with `KPLAY_JS` (a function body), also prints what that script returns.
//!
//! `KPLAY_DIST=dist KPLAY_QUERY='?lesson=commit&lang=es' cargo run --release -p browser-tests --example shot`

use std::time::Duration;

use browser_tests::open_app;

fn main() {
    let var = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let query = var("KPLAY_QUERY", "?lang=en");
    let size = var("KPLAY_SIZE", "1280x800");
    let (w, h) = size.split_once('x').unwrap_or(("1280", "800"));
    let s = open_app(w.parse().unwrap_or(1280), h.parse().unwrap_or(800), &query);
    std::thread::sleep(Duration::from_millis(
        var("KPLAY_WAIT_MS", "3000").parse().unwrap_or(3000),
    ));
    if let Ok(js) = std::env::var("KPLAY_JS") {
        println!("{}", s.execute(&js, vec![]).expect("KPLAY_JS runs"));
    }
    let path = s
        .screenshot(&var("KPLAY_NAME", "shot"))
        .expect("screenshot");
    println!("{}", path.display());
}
