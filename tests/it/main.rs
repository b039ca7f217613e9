//! Integration tests, one binary with topic modules.

mod check;
mod cli;
mod common;
mod read;
mod robust;
mod write;
