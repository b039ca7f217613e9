//! Integration tests, one binary with topic modules.

mod common;
mod read;
