//! Entry point of the Kafka Playground web app (Yew, compiled to wasm by trunk).
fn main() {}
