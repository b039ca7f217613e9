//! Integration tests, one binary with topic modules.

mod cli;
mod common;
mod read;
