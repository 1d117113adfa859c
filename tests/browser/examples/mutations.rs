//! DOM mutation count of the page (not a test, a load-independent measure of render work): loads a
//! built app in headless Chromium, plays `?perf=big` (or `KPLAY_QUERY`) for a few seconds under a
//! MutationObserver and prints the mutation records per second and per frame, by kind, with the
//! attributes set and the nodes added/removed most often.
//!
//! `KPLAY_DIST=dist cargo run --release -p browser-tests --example mutations`

use std::time::Duration;

use browser_tests::open_app;

const INSTALL: &str = r#"
const m = { frames0: __kplayFrames.interval.length, t0: performance.now(),
            now0: +document.querySelector('.clock').dataset.now,
            childList: 0, added: 0, removed: 0, attributes: 0, characterData: 0,
            attr: {}, addedTag: {}, removedTag: {}, text: {} };
const name = n => n.nodeType === 3 ? '#text(' + (n.parentNode ? n.parentNode.getAttribute('class') || n.parentNode.nodeName : '') + ')'
  : n.nodeName + (n.getAttribute && n.getAttribute('class') ? '.' + n.getAttribute('class') : '');
const bump = (o, k, n) => { o[k] = (o[k] || 0) + (n || 1); };
window.__kplayMut = m;
window.__kplayObs = new MutationObserver(list => {
  for (const r of list) {
    m[r.type]++;
    if (r.type === 'attributes') bump(m.attr, r.attributeName + ' on ' + name(r.target));
    else if (r.type === 'characterData') bump(m.text, name(r.target));
    else {
      m.added += r.addedNodes.length; m.removed += r.removedNodes.length;
      for (const n of r.addedNodes) bump(m.addedTag, name(n));
      for (const n of r.removedNodes) bump(m.removedTag, name(n));
    }
  }
});
__kplayObs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
return true;
"#;

const READ: &str = r#"
__kplayObs.takeRecords(); __kplayObs.disconnect();
const m = __kplayMut;
const secs = (performance.now() - m.t0) / 1000;
const frames = __kplayFrames.interval.length - m.frames0;
const top = o => Object.entries(o).sort((a, b) => b[1] - a[1]).slice(0, 12)
  .map(([k, v]) => '    ' + (v / frames).toFixed(2).padStart(8) + '/frame  ' + k).join('\n');
const vnow = +document.querySelector('.clock').dataset.now - m.now0;
const work = __kplayFrames.work.slice(-frames).sort((a, b) => a - b);
const pc = p => work.length ? work[Math.min(work.length - 1, Math.round(p / 100 * (work.length - 1)))].toFixed(2) : 'NaN';
return `${secs.toFixed(1)} s, ${frames} frames, ${vnow} virtual ms; work per frame p50 ${pc(50)} ms, p95 ${pc(95)} ms, mean ${(work.reduce((a, b) => a + b, 0) / Math.max(1, work.length)).toFixed(2)} ms
  per second: ${((m.childList + m.attributes + m.characterData) / secs).toFixed(0)} records (childList ${(m.childList / secs).toFixed(0)}, attributes ${(m.attributes / secs).toFixed(0)}, characterData ${(m.characterData / secs).toFixed(0)}); nodes added ${(m.added / secs).toFixed(0)}, removed ${(m.removed / secs).toFixed(0)}
  per frame:  ${((m.childList + m.attributes + m.characterData) / frames).toFixed(1)} records (childList ${(m.childList / frames).toFixed(1)}, attributes ${(m.attributes / frames).toFixed(1)}, characterData ${(m.characterData / frames).toFixed(1)}); nodes added ${(m.added / frames).toFixed(1)}, removed ${(m.removed / frames).toFixed(1)}
  per virtual second: ${((m.childList + m.attributes + m.characterData) * 1000 / vnow).toFixed(0)} records
  attributes set:\n${top(m.attr)}
  text changed:\n${top(m.text)}
  nodes added:\n${top(m.addedTag)}
  nodes removed:\n${top(m.removedTag)}`;
"#;

fn main() {
    let (query, seconds) = browser_tests::measured_scenario();
    let s = open_app(1280, 800, &query);
    std::thread::sleep(Duration::from_millis(1500));
    s.execute(INSTALL, vec![]).expect("install the observer");
    std::thread::sleep(Duration::from_secs(seconds));
    let out = s.execute(READ, vec![]).expect("read the counts");
    println!("{query}: {}", out.as_str().unwrap_or_default());
}
