//! Integration tests, one binary with topic modules.

mod check;
mod cli;
mod common;
mod fixtures;
mod props;
mod read;
mod region;
mod robust;
mod safety;
mod template;
mod write;
