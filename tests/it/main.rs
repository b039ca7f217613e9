//! Integration tests, one binary with topic modules.

mod check;
mod cli;
mod common;
mod explain;
mod family;
mod family_department;
mod family_forms;
mod family_funding;
mod family_groups;
mod family_merged;
mod family_money;
mod family_outline;
mod family_shapes;
mod fixtures;
mod office;
mod own;
mod prefill;
mod profiles;
mod props;
mod read;
mod readback;
mod readback_shapes;
mod readme;
mod recorded;
mod region;
mod robust;
mod safety;
mod schema;
mod selfeval;
mod template;
#[cfg(unix)] // drives jixiao.exe under wine from Linux
mod windows;
mod write;
