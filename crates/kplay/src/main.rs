//! `kplay`: the playground's command-line tool.
fn main() {}
