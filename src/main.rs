//! Entry point of the Kafka Playground web app (Yew, compiled to wasm by trunk).

mod app;
mod charts;
mod console;
mod controls;
mod editor;
mod i18n;
mod perf;
mod sim;
mod stage;
mod storage;
mod ui;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
