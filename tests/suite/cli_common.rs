//! What the `cli` modules share: the fixtures, and running the `canon` binary as a user does.

use std::process::{Command, Output};

pub const SCHEMA: &str = "schema/arisgourmet";
pub const LEGACY: &str = "fixtures/arisgourmet-legacy.sql";
pub const CANONICAL_DUMP: &str = "fixtures/arisgourmet-canonical.sql";

pub fn canon(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canon"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("canon runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
