//! The root component: page state as a plain reducer (an `Action` enum), the animation-frame
//! loop that drives the simulation, and the page layout.

use std::cell::RefCell;
use std::rc::Rc;

use kafka_engine::{ClientProfile, Strategy};
use kplay_runner::{FaultKind, ProcessId, ProgramSpec, ScenarioSpec};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::charts::{ChartData, Charts};
use crate::console::{console, ConsoleLine};
use crate::controls::controls;
use crate::editor::Editor;
use crate::i18n::{t, Lang, Msg};
use crate::perf;
use crate::sim::Sim;
use crate::stage::view::{build, StageView, ViewRc};
use crate::stage::{group_color, Layout, Stage};
use crate::storage::{self, Saved};
use crate::ui::{
    el, el_on, input, list, listen, memo, on_change, on_click, option, own, s, s_opt, span, tag,
    txt, Attr, Stamp,
};
use yew::html::onsubmit;
use yew::virtual_dom::AttrValue;

/// The topic the quick-send form writes to when the scenario has no other.
pub const TOPIC: &str = "transactions";
/// The lesson a fresh page opens.
pub const DEFAULT_LESSON: &str = "producer-consumer";
/// Speeds the speed control offers.
pub const SPEEDS: [f64; 9] = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0];
/// Console lines kept on screen.
const CONSOLE_LINES: usize = 120;
/// Shortest real time (ms) between two console updates.
const CONSOLE_EVERY_MS: f64 = 100.0;
/// Shortest real time (ms) between two chart updates above 5x.
const CHARTS_EVERY_MS: f64 = 250.0;
/// Debounce between an edit and its re-run.
const DEBOUNCE_MS: i32 = 400;

/// The simulation, shared by the state and the frame loop; compared by pointer.
#[derive(Clone)]
pub struct SimRc(pub Rc<RefCell<Sim>>);

impl PartialEq for SimRc {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Everything the page shows.
#[derive(Clone, PartialEq)]
pub struct State {
    pub lang: Lang,
    pub lesson: String,
    /// The edited spec: programs, topics and settings (faults and quick sends live in the run).
    pub spec: Rc<ScenarioSpec>,
    pub active: usize,
    pub sim: SimRc,
    pub view: ViewRc,
    pub console: Rc<Vec<Rc<ConsoleLine>>>,
    /// Output lines of the run the console has read.
    pub console_seen: usize,
    /// `performance.now()` of the console's last update.
    pub console_at: f64,
    pub charts: Rc<ChartData>,
    /// `performance.now()` of the charts' last update.
    pub charts_at: f64,
    pub fingerprint: (usize, usize, u64),
    pub now_ms: u64,
    pub max_ms: u64,
    pub playing: bool,
    pub speed: f64,
    /// Bumped on every edit; the debounced re-run carries the value it saw.
    pub edit_seq: u64,
    /// `performance.now()` of the re-run waiting to reach the screen.
    pub pending_edit: Option<f64>,
    pub jump: Option<(u32, u64)>,
    pub jump_seq: u64,
    pub notice: Option<Msg>,
    pub last_sent: Option<(u32, u64)>,
    pub perf_big: bool,
    /// The stage's layout, from the window's width (it follows resizes).
    pub layout: Layout,
    /// Bumped by every action but a frame: a version of what only actions change (the page's
    /// parts that read nothing else are drawn again only when it moves).
    pub ui_seq: u64,
}

/// What can happen to the page.
#[derive(Clone)]
pub enum Action {
    /// An animation frame: `dt` real ms since the previous one.
    Frame(f64),
    Send {
        key: String,
        value: String,
    },
    Edit(usize, String),
    /// Re-run with the edited spec: `Some(seq)` from the debounce (ignored if stale), `None` now.
    Rerun(Option<u64>),
    SetActive(usize),
    AddProgram,
    RemoveProgram(usize),
    SetInstances(usize, u32),
    SetStart(usize, u64),
    TogglePlay,
    StepEvent,
    SetSpeed(f64),
    Reset,
    SetSeed(u64),
    Seek(u64),
    Fault(ProcessId, FaultKind),
    AddConsumer,
    AddPartition,
    SetStrategy(Option<Strategy>),
    SetProfile(ClientProfile),
    Lesson(String),
    ToggleLanguage,
    Jump(usize, u32),
    DismissNotice,
    /// The window's width crossed the narrow/wide threshold.
    Resize(Layout),
}

fn query() -> Vec<(String, String)> {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (p.to_string(), String::new()),
        })
        .collect()
}

fn param(q: &[(String, String)], name: &str) -> Option<String> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

fn browser_lang() -> Option<Lang> {
    web_sys::window()?
        .navigator()
        .language()
        .and_then(|l| Lang::from_tag(&l))
}

/// The narrow stage below 640 px of window width (a blog column), the wide one otherwise.
fn window_layout() -> Layout {
    let width = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(1280.0);
    if width < 640.0 {
        Layout::NARROW
    } else {
        Layout::WIDE
    }
}

/// A spec for a lesson id (the default lesson when unknown).
fn lesson_spec(id: &str) -> (String, ScenarioSpec) {
    match kplay_runner::lesson(id).or_else(|| kplay_runner::lesson(DEFAULT_LESSON)) {
        Some(l) => (l.id.to_string(), l.spec),
        None => (DEFAULT_LESSON.to_string(), ScenarioSpec::default()),
    }
}

fn apply_saved(spec: &mut ScenarioSpec, s: &Saved) {
    spec.seed = s.seed;
    spec.default_strategies = s.strategy.map(|st| vec![st]);
    spec.client_profile = s.profile;
    for (name, n) in &s.partitions {
        if let Some(t) = spec.topics.iter_mut().find(|t| &t.name == name) {
            t.partitions = *n;
        }
    }
    if !s.programs.is_empty() {
        spec.programs = s.programs.clone();
    }
}

impl State {
    /// The page as the URL, the saved state and the browser ask for.
    pub fn init() -> State {
        perf::init();
        let q = query();
        let url_lang = param(&q, "lang").and_then(|l| Lang::from_tag(&l));
        let url_lesson = param(&q, "lesson");
        let perf_big = param(&q, "perf").as_deref() == Some("big");
        let mut notice = None;
        let saved = match storage::load() {
            Ok(s) => s,
            Err(()) => {
                storage::clear();
                notice = Some(Msg::StorageReset);
                None
            }
        };
        let saved =
            saved.filter(|s| url_lesson.as_ref().is_none_or(|l| l == &s.lesson) && !perf_big);
        let lang = url_lang
            .or(saved.as_ref().and_then(|s| s.lang))
            .or_else(browser_lang)
            .unwrap_or(Lang::Es);
        let (lesson, mut spec) = if perf_big {
            ("perf-big".to_string(), perf::big_spec())
        } else {
            lesson_spec(url_lesson.as_deref().unwrap_or(DEFAULT_LESSON))
        };
        let mut speed = 1.0;
        if let Some(s) = &saved {
            apply_saved(&mut spec, s);
            speed = s.speed;
        }
        if perf_big {
            speed = 10.0;
        }
        if let Some(s) = param(&q, "speed").and_then(|s| pysnip::parse_float(&s)) {
            speed = s.clamp(0.25, 100.0);
        }
        let playing = param(&q, "play").as_deref() != Some("0");
        let mut sim = Sim::new(spec.clone());
        sim.speed = speed;
        sim.playing = playing;
        if perf_big {
            sim.preload(TOPIC, perf::BIG_RECORDS);
        }
        let mut state = State {
            lang,
            lesson,
            spec: Rc::new(spec),
            active: 0,
            sim: SimRc(Rc::new(RefCell::new(sim))),
            view: ViewRc::default(),
            console: Rc::default(),
            console_seen: 0,
            console_at: 0.0,
            charts: Rc::default(),
            charts_at: 0.0,
            fingerprint: (usize::MAX, 0, 0),
            now_ms: 0,
            max_ms: 30_000,
            playing,
            speed,
            edit_seq: 0,
            pending_edit: None,
            jump: None,
            jump_seq: 0,
            notice,
            last_sent: None,
            perf_big,
            layout: window_layout(),
            ui_seq: 0,
        };
        state.refresh(true);
        state
    }

    /// A sample the charts have not drawn yet.
    fn charts_pending(&self, sim: &Sim) -> bool {
        sim.samples().back().map(|s| s.t_ms) != self.charts.last_t()
    }

    /// Re-reads the picture from the simulation if it changed (or always with `force`).
    fn refresh(&mut self, force: bool) {
        let sim = self.sim.0.borrow();
        let fp = sim.fingerprint();
        self.now_ms = sim.now();
        self.max_ms = self.max_ms.max(self.now_ms);
        if !force && fp == self.fingerprint && !self.charts_pending(&sim) {
            return;
        }
        // Above 5x records arrive too fast to follow: lanes update in place.
        let view = build(&sim, &self.view.0, sim.speed <= 5.0, self.layout.cells);
        let out = sim.scenario().output();
        // New lines show at once; above 5x at most ten times a second (a busy run then prints
        // faster than anyone reads, and re-laying out the log every frame costs frames).
        let real_now = perf::now();
        let console_due = sim.speed <= 5.0
            || real_now - self.console_at >= CONSOLE_EVERY_MS
            || real_now < self.console_at;
        if force || (out.len() != self.console_seen && console_due) {
            self.console_at = real_now;
            let procs = sim.scenario().processes();
            // Keep the lines already read (shared), append the new ones, keep the newest.
            let mut lines: Vec<Rc<ConsoleLine>> = if force || out.len() < self.console_seen {
                Vec::new()
            } else {
                self.console.as_ref().clone()
            };
            let from = if lines.is_empty() {
                out.len().saturating_sub(CONSOLE_LINES)
            } else {
                self.console_seen
            };
            for (i, o) in out.iter().enumerate().skip(from) {
                let p = procs.get(o.process.0);
                lines.push(Rc::new(ConsoleLine {
                    index: i,
                    time_ms: o.time_ms,
                    label: p.map(|p| p.label.clone()).unwrap_or_default(),
                    program: p.map(|p| p.program).unwrap_or(0),
                    kind: o.kind,
                    text: o.text.clone(),
                    line: o.line,
                }));
            }
            let extra = lines.len().saturating_sub(CONSOLE_LINES);
            lines.drain(..extra);
            self.console = Rc::new(lines);
            self.console_seen = out.len();
        }
        let samples = sim.samples();
        // A new sample each virtual second: above 5x that is several a second, drawn at most
        // four times a second (held-back samples show on the next due refresh).
        let charts_due = sim.speed <= 5.0
            || real_now - self.charts_at >= CHARTS_EVERY_MS
            || real_now < self.charts_at;
        if force || (samples.back().map(|s| s.t_ms) != self.charts.last_t() && charts_due) {
            self.charts_at = real_now;
            self.charts = Rc::new(ChartData::from_samples(samples, &view));
        }
        drop(sim);
        self.view = ViewRc(Rc::new(view));
        // Lines held back stay pending: the next frame refreshes again until they show.
        self.fingerprint = (fp.0, self.console_seen, fp.2);
    }

    /// The spec to run: the edited spec plus the run's faults, quick sends, instances that
    /// joined and partitions added while it ran.
    fn run_spec(&self) -> ScenarioSpec {
        let mut spec = (*self.spec).clone();
        let sim = self.sim.0.borrow();
        let current = sim.scenario().spec();
        spec.joins.clear();
        for j in &current.joins {
            if j.program < spec.programs.len() {
                spec.joins.push(*j);
            }
        }
        spec.partition_growth = current.partition_growth.clone();
        let mut processes = spec.joins.len() as u32;
        for p in &spec.programs {
            processes += p.instances;
        }
        spec.faults.clear();
        for f in &current.faults {
            if (f.process.0 as u32) < processes {
                spec.faults.push(*f);
            }
        }
        spec.manual_sends = current.manual_sends.clone();
        spec
    }

    /// Re-simulates the edited spec up to the current time.
    fn rerun(&mut self) {
        let spec = self.run_spec();
        let t = self.now_ms;
        self.sim.0.borrow_mut().restart_with(spec, t);
        self.view = ViewRc(Rc::new(StageView::default()));
        self.refresh(true);
        // The new run keeps the old picture as its base so nothing flies in again.
    }

    /// Runs `spec` from the start (a reset, another lesson).
    fn restart(&mut self, spec: ScenarioSpec) {
        self.sim.0.borrow_mut().restart_with(spec, 0);
        self.view = ViewRc::default();
        self.max_ms = 30_000;
        self.refresh(true);
    }

    /// Adds a consumer program named `name` and runs again.
    fn add_consumer_program(&mut self, name: String) {
        self.programs_mut().push(ProgramSpec {
            name,
            setup: String::new(),
            source: NEW_CONSUMER.to_string(),
            instances: 1,
            start_ms: 0,
        });
        self.rerun();
    }

    fn programs_mut(&mut self) -> &mut Vec<ProgramSpec> {
        &mut Rc::make_mut(&mut self.spec).programs
    }

    fn saved(&self) -> Saved {
        Saved {
            lesson: self.lesson.clone(),
            lang: Some(self.lang),
            seed: self.spec.seed,
            speed: self.speed,
            strategy: self
                .spec
                .default_strategies
                .as_ref()
                .and_then(|v| v.first().copied()),
            profile: self.spec.client_profile,
            partitions: self
                .spec
                .topics
                .iter()
                .map(|t| (t.name.clone(), t.partitions))
                .collect(),
            programs: self.spec.programs.clone(),
        }
    }
}

const NEW_CONSUMER: &str = "from kafka import KafkaConsumer\n\nconsumer = KafkaConsumer(\n    'transactions',\n    group_id='audit-group',\n)\n\nfor message in consumer:\n    print(message.partition, message.offset, message.key)\n";

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if let Action::Frame(dt) = action {
            let (playing, pending) = {
                let sim = self.sim.0.borrow();
                let console = sim.scenario().output().len() != self.console_seen;
                (sim.playing, console || self.charts_pending(&sim))
            };
            if !playing && !pending {
                return self;
            }
            if !playing {
                // Paused with console lines or chart samples still held back (see `refresh`):
                // show them.
                let mut next = (*self).clone();
                next.refresh(false);
                return Rc::new(next);
            }
            self.sim.0.borrow_mut().frame(dt);
            let fp = self.sim.0.borrow().fingerprint();
            let now = self.sim.0.borrow().now();
            // Redraw when the picture changed, or the clock moved by 100 ms of virtual time.
            if fp == self.fingerprint && now / 100 == self.now_ms / 100 {
                return self;
            }
            let mut next = (*self).clone();
            next.refresh(false);
            return Rc::new(next);
        }
        let mut next = (*self).clone();
        next.ui_seq += 1;
        match action {
            Action::Frame(_) => {}
            Action::Send { key, value } => {
                let topic = next
                    .spec
                    .topics
                    .first()
                    .map(|t| t.name.clone())
                    .unwrap_or_else(|| TOPIC.to_string());
                let key = (!key.is_empty()).then_some(key);
                let r = next.sim.0.borrow_mut().send(&topic, key.as_deref(), &value);
                if let Ok(meta) = r {
                    next.last_sent = Some((meta.partition, meta.offset));
                }
                next.refresh(true);
            }
            Action::Edit(i, source) => {
                if let Some(p) = next.programs_mut().get_mut(i) {
                    p.source = source;
                }
                next.edit_seq += 1;
            }
            Action::Rerun(seq) => {
                if seq.is_some_and(|s| s != next.edit_seq) {
                    return self;
                }
                next.pending_edit = Some(perf::now());
                next.rerun();
            }
            Action::SetActive(i) => next.active = i.min(next.spec.programs.len().saturating_sub(1)),
            Action::AddProgram => {
                let n = next.spec.programs.len() + 1;
                next.active = n - 1;
                next.add_consumer_program(format!("program{n}.py"));
            }
            Action::RemoveProgram(i) => {
                if next.spec.programs.len() > 1 && i < next.spec.programs.len() {
                    next.programs_mut().remove(i);
                    next.active = next.active.min(next.spec.programs.len() - 1);
                    next.rerun();
                }
            }
            Action::SetInstances(i, n) => {
                if let Some(p) = next.programs_mut().get_mut(i) {
                    p.instances = n.clamp(0, 12);
                }
                next.rerun();
            }
            Action::SetStart(i, ms) => {
                if let Some(p) = next.programs_mut().get_mut(i) {
                    p.start_ms = ms.min(3_600_000);
                }
                next.rerun();
            }
            Action::TogglePlay => {
                next.playing = !next.playing;
                next.sim.0.borrow_mut().playing = next.playing;
            }
            Action::StepEvent => {
                next.playing = false;
                {
                    let mut sim = next.sim.0.borrow_mut();
                    sim.playing = false;
                    sim.step_event();
                }
                next.refresh(true);
            }
            Action::SetSpeed(s) => {
                next.speed = s.clamp(0.25, 100.0);
                next.sim.0.borrow_mut().speed = next.speed;
            }
            Action::Reset => {
                let spec = (*next.spec).clone();
                next.last_sent = None;
                next.restart(spec);
            }
            Action::SetSeed(seed) => {
                Rc::make_mut(&mut next.spec).seed = seed;
                next.rerun();
            }
            Action::Seek(t) => {
                next.sim.0.borrow_mut().seek(t);
                next.refresh(true);
            }
            Action::Fault(pid, kind) => {
                next.sim.0.borrow_mut().inject(pid, kind);
                next.refresh(true);
            }
            Action::AddConsumer => {
                let i = next
                    .spec
                    .programs
                    .iter()
                    .position(|p| p.source.contains("KafkaConsumer"));
                match i {
                    Some(i) => {
                        // A new member joins now: the group rebalances before your eyes.
                        let running = {
                            let sim = next.sim.0.borrow();
                            sim.scenario()
                                .processes()
                                .iter()
                                .filter(|p| p.program == i)
                                .count()
                        };
                        if running < 12 {
                            next.sim.0.borrow_mut().add_instance(i);
                        }
                        next.refresh(true);
                    }
                    None => next.add_consumer_program("consumer.py".into()),
                }
            }
            Action::AddPartition => {
                let topic = next.spec.topics.first().map(|t| t.name.clone());
                if let Some(topic) = topic {
                    let total = {
                        let sim = next.sim.0.borrow();
                        sim.cluster().topic(&topic).map(|t| t.partition_count())
                    };
                    if let Some(n) = total.filter(|n| *n < 32) {
                        let _ = next.sim.0.borrow_mut().add_partitions(&topic, n + 1);
                    }
                    next.refresh(true);
                }
            }
            Action::SetStrategy(s) => {
                Rc::make_mut(&mut next.spec).default_strategies = s.map(|s| vec![s]);
                next.rerun();
            }
            Action::SetProfile(p) => {
                Rc::make_mut(&mut next.spec).client_profile = p;
                next.rerun();
            }
            Action::Lesson(id) => {
                let (id, spec) = lesson_spec(&id);
                next.lesson = id;
                next.spec = Rc::new(spec.clone());
                next.active = 0;
                next.restart(spec);
            }
            Action::ToggleLanguage => next.lang = next.lang.other(),
            Action::Jump(program, line) => {
                next.active = program.min(next.spec.programs.len().saturating_sub(1));
                next.jump_seq += 1;
                next.jump = Some((line, next.jump_seq));
            }
            Action::DismissNotice => next.notice = None,
            Action::Resize(layout) => {
                if layout == next.layout {
                    return self;
                }
                next.layout = layout;
                next.refresh(true);
            }
        }
        Rc::new(next)
    }
}

thread_local! {
    /// (frame start, interval, time after the reducer) of the frame whose render is pending.
    static FRAME: RefCell<Option<(f64, f64, f64)>> = const { RefCell::new(None) };
}

fn flush_frame(rendered: bool) {
    FRAME.with(|f| {
        if let Some((start, interval, after_reduce)) = f.borrow_mut().take() {
            let end = if rendered { perf::now() } else { after_reduce };
            perf::record_frame(interval, end - start, after_reduce - start);
        }
    });
}

/// The frame callback, kept where it can schedule itself again.
type FrameSlot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Drives the simulation from `requestAnimationFrame`; the returned function stops it.
fn frame_loop(dispatch: UseReducerDispatcher<State>) -> impl FnOnce() {
    let alive = Rc::new(RefCell::new(true));
    let slot: FrameSlot = Rc::new(RefCell::new(None));
    let last = Rc::new(RefCell::new(None::<f64>));
    {
        let slot2 = slot.clone();
        let alive = alive.clone();
        *slot.borrow_mut() = Some(Closure::new(move |ts: f64| {
            if !*alive.borrow() {
                return;
            }
            // A frame whose reducer changed nothing rendered nothing.
            flush_frame(false);
            let start = perf::now();
            let prev = last.borrow_mut().replace(ts);
            let dt = prev.map(|p| ts - p).unwrap_or(16.0);
            dispatch.dispatch(Action::Frame(dt));
            FRAME.with(|f| *f.borrow_mut() = Some((start, dt, perf::now())));
            if let (Some(w), Some(cb)) = (web_sys::window(), slot2.borrow().as_ref()) {
                let _ = w.request_animation_frame(cb.as_ref().unchecked_ref());
            }
        }));
    }
    if let (Some(w), Some(cb)) = (web_sys::window(), slot.borrow().as_ref()) {
        let _ = w.request_animation_frame(cb.as_ref().unchecked_ref());
    }
    move || {
        *alive.borrow_mut() = false;
        // The closure stays alive until its last scheduled frame has run.
        std::mem::forget(slot);
    }
}

/// Listens to `event` on the window; the returned function stops listening.
fn window_listener(event: &'static str, cb: Closure<dyn FnMut(web_sys::Event)>) -> impl FnOnce() {
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
    }
    move || {
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
        }
        drop(cb);
    }
}

/// Space plays and pauses, Right arrow steps one event (outside text fields and buttons).
fn global_keys(dispatch: UseReducerDispatcher<State>) -> impl FnOnce() {
    window_listener(
        "keydown",
        Closure::new(move |e: web_sys::Event| {
            let e: KeyboardEvent = e.unchecked_into();
            let tag = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map(|el| {
                    (
                        el.tag_name().to_ascii_lowercase(),
                        el.get_attribute("role").unwrap_or_default(),
                    )
                })
                .unwrap_or_default();
            let typing = matches!(tag.0.as_str(), "input" | "textarea" | "select" | "button")
                || tag.1 == "button";
            if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let action = match e.key().as_str() {
                " " => Action::TogglePlay,
                "ArrowRight" => Action::StepEvent,
                _ => return,
            };
            e.prevent_default();
            dispatch.dispatch(action);
        }),
    )
}

/// While the page lives: the frame loop, the global keys, and the stage's layout following the
/// window's width (an iframe made narrower, a phone turned).
#[hook]
fn use_window(dispatch: UseReducerDispatcher<State>) {
    use_effect_with((), move |_| {
        let stop_frames = frame_loop(dispatch.clone());
        let stop_keys = global_keys(dispatch.clone());
        let stop_resize = window_listener(
            "resize",
            Closure::new(move |_: web_sys::Event| {
                dispatch.dispatch(Action::Resize(window_layout()))
            }),
        );
        move || {
            stop_frames();
            stop_keys();
            stop_resize();
        }
    });
}

/// Re-runs 400 ms after the last edit.
#[hook]
fn use_debounced_rerun(edit_seq: u64, dispatch: UseReducerDispatcher<State>) {
    use_effect_with(edit_seq, move |seq| {
        let seq = *seq;
        let mut handle = None;
        let cb = Closure::once(move || dispatch.dispatch(Action::Rerun(Some(seq))));
        if seq > 0 {
            if let Some(w) = web_sys::window() {
                handle = w
                    .set_timeout_with_callback_and_timeout_and_arguments_0(
                        cb.as_ref().unchecked_ref(),
                        DEBOUNCE_MS,
                    )
                    .ok();
            }
        }
        move || {
            if let (Some(h), Some(w)) = (handle, web_sys::window()) {
                w.clear_timeout_with_handle(h);
            }
            drop(cb);
        }
    });
}

/// A change or input listener: `f` turns the `value` of the element it fired on (an input, a
/// select, the code area) into an action, with `at` (a program index) when it needs one.
pub fn on_value<E: AsRef<web_sys::Event> + 'static>(
    act: &Callback<Action>,
    at: usize,
    f: fn(usize, String) -> Action,
) -> Callback<E> {
    act.reform(move |e: E| {
        let value = e
            .as_ref()
            .target()
            .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        f(at, value)
    })
}

/// A click that sends `action`.
pub fn click(act: &Callback<Action>, action: Action) -> Callback<MouseEvent> {
    act.reform(move |_| action.clone())
}

/// A `<button>` with a class, a `data-action` name, an accessible label and a tooltip (each left
/// out when `None`).
pub fn button(
    class: &'static str,
    action: Option<&'static str>,
    aria: Attr,
    title: Option<&'static str>,
    onclick: Callback<MouseEvent>,
    child: Html,
) -> Html {
    el_on(
        "button",
        &["data-action", "aria-label", "title", "class"],
        vec![action.and_then(s), aria, title.and_then(s), s_opt(class)],
        vec![on_click(onclick)],
        vec![child],
    )
}

/// A part of the page drawn by `f` from the state, drawn again only when `stamp` moves.
pub fn part(
    state: &UseReducerHandle<State>,
    act: &Callback<Action>,
    stamp: Stamp,
    f: fn(&State, &Callback<Action>) -> Html,
) -> Html {
    let (state, act) = (state.clone(), act.clone());
    memo(stamp, Rc::new(move || f(&state, &act)))
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer_eq(State::init);
    let dispatcher = state.dispatcher();
    use_window(dispatcher.clone());
    use_debounced_rerun(state.edit_seq, dispatcher.clone());

    // After every render: close the frame's work measurement and the edit-to-screen one.
    use_effect(|| flush_frame(true));
    use_effect_with(state.pending_edit.map(f64::to_bits), move |pending| {
        if let Some(t0) = pending.map(f64::from_bits) {
            perf::record_edit(perf::now() - t0);
        }
    });
    // Save code and settings after every action (frames change none of them).
    {
        let state = state.clone();
        use_effect_with(state.ui_seq, move |_| {
            if !state.perf_big {
                storage::save(&state.saved());
            }
        });
    }

    let lang = state.lang;
    // Every control of the page sends its `Action` through this one callback (the same one on
    // every render, so a component whose other props did not change is not re-rendered).
    let act = {
        let d = dispatcher.clone();
        use_callback((), move |a: Action, _| d.dispatch(a))
    };
    let ui = Stamp::NEW.int(state.ui_seq);
    let errors = state.sim.0.borrow().scenario().errors().len();
    let part =
        |stamp: Stamp, f: fn(&State, &Callback<Action>) -> Html| part(&state, &act, stamp, f);
    let header = part(ui, header);
    let pane = part(ui.int(errors as u64), program_pane);
    let console = part(ui.int(state.console_seen as u64), |state, act| {
        console(state.lang, &state.console, act)
    });
    let quick_send = part(ui, quick_send);
    let mut group_colors: Vec<(String, &'static str)> = Vec::new();
    for (i, g) in state.view.0.groups.iter().enumerate() {
        group_colors.push((g.id.clone(), group_color(i)));
    }

    el(
        "div",
        &["lang", "class"],
        vec![s(lang.code()), s("page")],
        vec![
            header,
            match state.notice {
                Some(n) => el(
                    "div",
                    &["role", "data-notice", "class"],
                    vec![s("alert"), s("storage"), s("notice")],
                    vec![
                        span("", txt(t(lang, n))),
                        button(
                            "ghost small",
                            None,
                            None,
                            None,
                            click(&act, Action::DismissNotice),
                            txt(t(lang, Msg::Dismiss)),
                        ),
                    ],
                ),
                None => Html::default(),
            },
            controls(&state, &act, ui),
            tag(
                "main",
                "workspace",
                vec![
                    el(
                        "section",
                        &["aria-label", "class"],
                        vec![s(t(lang, Msg::Programs)), s("left")],
                        vec![pane, console],
                    ),
                    tag(
                        "section",
                        "right",
                        vec![
                            quick_send,
                            html! { <Stage view={state.view.clone()} {lang} act={act.clone()} layout={state.layout} ui={state.ui_seq} /> },
                            html! { <Charts {lang} data={state.charts.clone()} colors={group_colors} /> },
                        ],
                    ),
                ],
            ),
        ],
    )
}

/// The top bar (the brand, the lesson picker and the language button) and the lesson's intro.
fn header(state: &State, act: &Callback<Action>) -> Html {
    let lang = state.lang;
    let lessons = kplay_runner::lessons();
    let current = lessons.iter().find(|l| l.id == state.lesson);
    let intro = match current {
        Some(l) => el(
            "p",
            &["data-lesson", "class"],
            vec![s(l.id), s("intro")],
            vec![txt(lang.pick(l.intro))],
        ),
        None => Html::default(),
    };
    let on_lesson = on_value(act, 0, |_, id| Action::Lesson(id));
    let mut options: Vec<Html> = Vec::new();
    for l in &lessons {
        options.push(option(l.id, l.id == state.lesson, lang.pick(l.title)));
    }
    if state.perf_big {
        options.push(option("perf-big", true, t(lang, Msg::Perf)));
    }
    let header = tag(
        "header",
        "topbar",
        vec![
            tag(
                "div",
                "brand",
                vec![
                    el(
                        "span",
                        &["aria-hidden", "class"],
                        vec![s("true"), s("logo")],
                        Vec::new(),
                    ),
                    tag("h1", "", vec![txt("Kafka Playground")]),
                    span("tagline", txt(t(lang, Msg::Tagline))),
                ],
            ),
            tag(
                "div",
                "top-actions",
                vec![
                    tag(
                        "label",
                        "lesson-pick",
                        vec![
                            span("", txt(t(lang, Msg::Lesson))),
                            el_on(
                                "select",
                                &["aria-label", "data-input"],
                                vec![s(t(lang, Msg::Lesson)), s("lesson")],
                                vec![on_change(on_lesson)],
                                options,
                            ),
                        ],
                    ),
                    button(
                        "ghost",
                        Some("language"),
                        s(t(lang, Msg::LanguageLabel)),
                        None,
                        click(act, Action::ToggleLanguage),
                        txt(t(lang, Msg::SwitchLanguage)),
                    ),
                ],
            ),
        ],
    );
    list(vec![header, intro])
}

/// The program tabs, the program's settings bar and its editor.
fn program_pane(state: &State, act: &Callback<Action>) -> Html {
    let lang = state.lang;
    let programs = &state.spec.programs;
    let active = state.active.min(programs.len().saturating_sub(1));
    let sim = state.sim.0.borrow();
    let errors = sim.scenario().errors();
    let error = errors.iter().find(|e| e.program == active).cloned();
    let mut tabs: Vec<Html> = programs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let selected = i == active;
            let has_error = errors.iter().any(|e| e.program == i);
            let class = match (selected, has_error) {
                (false, false) => "tab",
                (true, false) => "tab active",
                (false, true) => "tab has-error",
                (true, true) => "tab active has-error",
            };
            el_on(
                "button",
                &["role", "aria-selected", "data-tab", "class"],
                vec![
                    s("tab"),
                    s(if selected { "true" } else { "false" }),
                    own(p.name.clone()),
                    s(class),
                ],
                vec![on_click(click(act, Action::SetActive(i)))],
                vec![
                    txt(p.name.clone()),
                    if p.instances != 1 {
                        span("badge", txt(format!("×{}", p.instances)))
                    } else {
                        Html::default()
                    },
                    if has_error {
                        el(
                            "span",
                            &["aria-label", "class"],
                            vec![s("error"), s("err-dot")],
                            vec![txt("!")],
                        )
                    } else {
                        Html::default()
                    },
                ],
            )
        })
        .collect();
    tabs.push(button(
        "tab add",
        Some("add-program"),
        s(t(lang, Msg::AddProgram)),
        Some(t(lang, Msg::AddProgram)),
        click(act, Action::AddProgram),
        txt("+"),
    ));
    let tabs = el(
        "div",
        &["role", "aria-label", "class"],
        vec![s("tablist"), s(t(lang, Msg::Programs)), s("tabs")],
        tabs,
    );
    drop(sim);

    match programs.get(active) {
        Some(p) => {
            let on_instances = on_value::<Event>(act, active, |i, v| {
                Action::SetInstances(i, v.parse().unwrap_or(1))
            });
            let on_start = on_value::<Event>(act, active, |i, v| {
                let v = pysnip::parse_float(&v).unwrap_or(0.0);
                Action::SetStart(i, (v.max(0.0) * 1000.0) as u64)
            });
            let named = |m: Msg| own(format!("{} {}", t(lang, m), p.name));
            let hint = t(lang, Msg::RunHint);
            list(vec![
                tabs,
                tag(
                    "div",
                    "program-bar",
                    vec![
                        tag(
                            "label",
                            "",
                            vec![
                                span("", txt(t(lang, Msg::Instances))),
                                input(
                                    NodeRef::default(),
                                    Some(p.instances.to_string().into()),
                                    &["type", "min", "max", "data-input", "aria-label"],
                                    vec![
                                        s("number"),
                                        s("0"),
                                        s("12"),
                                        s("instances"),
                                        named(Msg::Instances),
                                    ],
                                    vec![on_change(on_instances)],
                                ),
                            ],
                        ),
                        tag(
                            "label",
                            "",
                            vec![
                                span("", txt(t(lang, Msg::StartAt))),
                                input(
                                    NodeRef::default(),
                                    Some((p.start_ms as f64 / 1000.0).to_string().into()),
                                    &["type", "min", "step", "data-input", "aria-label"],
                                    vec![
                                        s("number"),
                                        s("0"),
                                        s("0.5"),
                                        s("start"),
                                        named(Msg::StartAt),
                                    ],
                                    vec![on_change(on_start)],
                                ),
                            ],
                        ),
                        el(
                            "span",
                            &["title", "class"],
                            vec![s(hint), s("hint")],
                            vec![txt(hint)],
                        ),
                        if programs.len() > 1 {
                            button(
                                "ghost small",
                                Some("remove-program"),
                                named(Msg::RemoveProgram),
                                None,
                                click(act, Action::RemoveProgram(active)),
                                txt("✕"),
                            )
                        } else {
                            Html::default()
                        },
                    ],
                ),
                html! {
                    <Editor index={active} program={p.clone()} {error} {lang} act={act.clone()} jump={state.jump} />
                },
            ])
        }
        None => tabs,
    }
}

/// The quick-send form: a key, a value and the record last sent.
fn quick_send(state: &State, act: &Callback<Action>) -> Html {
    let lang = state.lang;
    let onsubmit = act.reform(move |e: SubmitEvent| {
        e.prevent_default();
        // The form's `key` and `value` fields, by name.
        let read = |name: &str| {
            e.target()
                .and_then(|form| js_sys::Reflect::get(&form, &name.into()).ok())
                .and_then(|field| js_sys::Reflect::get(&field, &"value".into()).ok())
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        };
        Action::Send {
            key: read("key"),
            value: read("value"),
        }
    });

    el_on(
        "form",
        &["aria-label", "class"],
        vec![s(t(lang, Msg::QuickSend)), s("quick-send")],
        vec![listen(onsubmit::Wrapper::new(onsubmit))],
        vec![
            el(
                "strong",
                &[],
                Vec::new(),
                vec![txt(t(lang, Msg::QuickSend))],
            ),
            tag(
                "label",
                "",
                vec![
                    span("sr-only", txt(t(lang, Msg::Key))),
                    input(
                        NodeRef::default(),
                        None,
                        &[
                            "name",
                            "data-input",
                            "placeholder",
                            "autocomplete",
                            "aria-label",
                            "size",
                        ],
                        vec![
                            s("key"),
                            s("key"),
                            s(t(lang, Msg::Key)),
                            s("off"),
                            s(t(lang, Msg::Key)),
                            s("8"),
                        ],
                        Vec::new(),
                    ),
                ],
            ),
            tag(
                "label",
                "",
                vec![
                    span("sr-only", txt(t(lang, Msg::Value))),
                    input(
                        NodeRef::default(),
                        Some(AttrValue::Static(
                            "{\"transaction_id\": \"t-1\", \"amount\": 50}",
                        )),
                        &["name", "data-input", "autocomplete", "aria-label", "size"],
                        vec![
                            s("value"),
                            s("value"),
                            s("off"),
                            s(t(lang, Msg::Value)),
                            s("14"),
                        ],
                        Vec::new(),
                    ),
                ],
            ),
            el(
                "button",
                &["type", "data-action", "class"],
                vec![s("submit"), s("send"), s("primary")],
                vec![txt(t(lang, Msg::Send))],
            ),
            el(
                "span",
                &["title", "class"],
                vec![s(t(lang, Msg::KeyHint)), s("hint")],
                vec![txt(match state.last_sent {
                    Some((p, o)) => format!("{} P{p} · offset {o}", t(lang, Msg::Sent)),
                    None => t(lang, Msg::KeyHint).to_string(),
                })],
            ),
        ],
    )
}
