//! A W3C WebDriver client for chromedriver: sessions, elements, keys, scripts and screenshots.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::http;

/// The W3C element reference key.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long `wait_for` waits for the page by default.
pub const WAIT: Duration = Duration::from_secs(20);

/// A chromedriver process, shared by all the tests of one test binary.
pub struct Driver {
    addr: String,
    _child: Child,
}

static DRIVER: OnceLock<Driver> = OnceLock::new();

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on 127.0.0.1")
}

impl Driver {
    /// Starts chromedriver once per process (or returns the running one).
    pub fn get() -> &'static Driver {
        DRIVER.get_or_init(|| {
            let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
            let port = free_port();
            // The driver lives in a static that is never dropped: a small shell watchdog stops
            // chromedriver when this test process is gone, so runs don't leave drivers behind.
            let watchdog = format!(
                "\"$0\" --port={port} --allowed-ips=127.0.0.1 & d=$!; \
                 while kill -0 {pid} 2>/dev/null && kill -0 $d 2>/dev/null; do sleep 1; done; \
                 kill $d 2>/dev/null",
                pid = std::process::id()
            );
            let child = Command::new("sh")
                .arg("-c")
                .arg(watchdog)
                .arg(&bin)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| {
                    panic!("cannot start {bin}: {e} (./run.sh test installs chromium-driver)")
                });
            let addr = format!("127.0.0.1:{port}");
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                if let Ok(r) = http::request(&addr, "GET", "/status", None) {
                    if r.status == 200 {
                        break;
                    }
                }
                assert!(
                    Instant::now() < deadline,
                    "chromedriver did not start on {addr}"
                );
                std::thread::sleep(Duration::from_millis(100));
            }
            Driver {
                addr,
                _child: child,
            }
        })
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let text = body.map(|b| b.to_string());
        let resp = http::request(&self.addr, method, path, text.as_deref())
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let v: Value = serde_json::from_slice(&resp.body)
            .map_err(|e| format!("{method} {path}: bad JSON ({e})"))?;
        if resp.status != 200 {
            return Err(format!("{method} {path}: {} {}", resp.status, v["value"]));
        }
        Ok(v["value"].clone())
    }

    /// Opens a new headless Chromium window of `width` x `height` CSS pixels.
    pub fn session(&'static self, width: u32, height: u32) -> Session {
        let profile = std::env::temp_dir().join(format!(
            "kplay-chromium-{}-{}",
            std::process::id(),
            free_port()
        ));
        let bin = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": bin,
                    "args": [
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--hide-scrollbars",
                        format!("--window-size={width},{height}"),
                        format!("--user-data-dir={}", profile.display()),
                    ]
                }
            }}
        });
        let v = self
            .call("POST", "/session", Some(caps))
            .unwrap_or_else(|e| panic!("cannot open a Chromium session: {e}"));
        let id = v["sessionId"].as_str().expect("session id").to_string();
        let session = Session { driver: self, id };
        // Headless window sizes include no browser chrome; make the viewport exact.
        let _ = session.set_viewport(width, height);
        session
    }
}

/// One browser window.
pub struct Session {
    driver: &'static Driver,
    id: String,
}

/// An element of the page.
#[derive(Clone, Debug)]
pub struct Element(pub String);

impl Session {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        self.driver
            .call(method, &format!("/session/{}{path}", self.id), body)
    }

    /// Sets the viewport's size in CSS pixels.
    pub fn set_viewport(&self, width: u32, height: u32) -> Result<(), String> {
        let inner = self.execute(
            "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];",
            vec![],
        )?;
        let dw = inner[0].as_u64().unwrap_or(0) as u32;
        let dh = inner[1].as_u64().unwrap_or(0) as u32;
        self.call(
            "POST",
            "/window/rect",
            Some(json!({"width": width + dw, "height": height + dh})),
        )
        .map(|_| ())
    }

    pub fn goto(&self, url: &str) -> Result<(), String> {
        self.call("POST", "/url", Some(json!({ "url": url })))
            .map(|_| ())
    }

    pub fn find(&self, css: &str) -> Result<Element, String> {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        )?;
        v[ELEMENT_KEY]
            .as_str()
            .map(|s| Element(s.to_string()))
            .ok_or_else(|| format!("no element id for {css}"))
    }

    pub fn find_all(&self, css: &str) -> Result<Vec<Element>, String> {
        let v = self.call(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        )?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str())
                    .map(|s| Element(s.to_string()))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Waits until `css` matches at least one element, and returns the first.
    pub fn wait_for(&self, css: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            match self.find_all(css) {
                Ok(v) if !v.is_empty() => return v[0].clone(),
                _ => {}
            }
            if Instant::now() > deadline {
                let _ = self.screenshot("timeout");
                panic!("the page never showed `{css}`");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `script` (a function body) returns true.
    pub fn wait_until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(Value::Bool(true)) = self.execute(script, vec![]) {
                return;
            }
            if Instant::now() > deadline {
                let _ = self.screenshot("timeout");
                panic!("timed out waiting for {what}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn click(&self, e: &Element) -> Result<(), String> {
        self.call("POST", &format!("/element/{}/click", e.0), Some(json!({})))
            .map(|_| ())
    }

    pub fn clear(&self, e: &Element) -> Result<(), String> {
        self.call("POST", &format!("/element/{}/clear", e.0), Some(json!({})))
            .map(|_| ())
    }

    /// Types `text` into `e` (WebDriver key codes such as `\u{E007}` for Enter work too).
    pub fn type_into(&self, e: &Element, text: &str) -> Result<(), String> {
        self.call(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({ "text": text })),
        )
        .map(|_| ())
    }

    pub fn text(&self, e: &Element) -> Result<String, String> {
        let v = self.call("GET", &format!("/element/{}/text", e.0), None)?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    pub fn attr(&self, e: &Element, name: &str) -> Result<Option<String>, String> {
        let v = self.call("GET", &format!("/element/{}/attribute/{name}", e.0), None)?;
        Ok(v.as_str().map(str::to_string))
    }

    /// Runs `script` (a function body) in the page with `args`.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Sends a Chrome DevTools Protocol command (chromedriver's `goog/cdp/execute`).
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value, String> {
        self.call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    /// Presses a chord, e.g. `&["\u{E009}", "\u{E007}"]` for Ctrl+Enter, on the focused element.
    pub fn chord(&self, keys: &[&str]) -> Result<(), String> {
        let mut actions = Vec::new();
        for k in keys {
            actions.push(json!({"type": "keyDown", "value": k}));
        }
        for k in keys.iter().rev() {
            actions.push(json!({"type": "keyUp", "value": k}));
        }
        self.call(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "kbd", "actions": actions}]})),
        )?;
        self.call("DELETE", "/actions", None).map(|_| ())
    }

    /// Saves a PNG screenshot as `target/screenshots/NAME.png` and returns its path.
    pub fn screenshot(&self, name: &str) -> Result<std::path::PathBuf, String> {
        let v = self.call("GET", "/screenshot", None)?;
        let png = base64_decode(v.as_str().unwrap_or(""))?;
        let path = crate::screenshot_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).map_err(|e| e.to_string())?;
        Ok(path)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.call("DELETE", "", None);
    }
}

fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c).ok_or("bad base64")? << (18 - 6 * i);
        }
        let take = chunk.len().saturating_sub(1);
        for i in 0..take {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_round_trip_of_known_values() {
        assert_eq!(super::base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(super::base64_decode("aGk=").unwrap(), b"hi");
        assert_eq!(super::base64_decode("YWJj").unwrap(), b"abc");
    }
}
