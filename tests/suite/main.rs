//! The integration tests that share one throwaway MariaDB (`common::server`): one binary, so
//! canon is linked and a server started once for all of them. Tests that need a server of their
//! own (other `mariadbd` options, a server they crash or make read-only) or that change the
//! process's environment (the docs' examples) are binaries of their own in `tests/`.

#[path = "../common/mod.rs"]
mod common;

mod apply;
mod apply_common;
mod apply_online;
mod apply_operator;
mod apply_safety;
mod cases;
mod cli;
mod cli_common;
mod cli_connect;
mod cli_reports;
mod cli_setup;
mod credentials;
mod data_checks;
mod data_checks_keys;
mod data_checks_narrowing;
mod data_checks_numbers;
mod fleet;
mod fleet_apply;
mod generative;
mod helpers;
mod live;
mod live_connect;
mod program_definers;
mod program_plans;
mod programs;
