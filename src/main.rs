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

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    yew::Renderer::<app::App>::new().render();
}
