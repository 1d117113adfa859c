//! Entry point of the Kafka Playground web app (Yew, compiled to wasm by trunk).

mod app;
mod i18n;
mod stage;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
