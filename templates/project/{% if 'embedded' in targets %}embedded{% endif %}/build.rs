//! Puts the board's `memory.x` (read by cortex-m-rt's `link.x`) on the linker path.

use std::{env, fs, path::PathBuf};

fn main() {
    let target = env::var("TARGET").expect("cargo sets TARGET");
    // One QEMU board per supported target; host builds need no linker script.
    let board = match target.as_str() {
        "thumbv7em-none-eabihf" => "mps2-an386",
        "thumbv7m-none-eabi" => "lm3s6965",
        _ => return,
    };
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let memory = format!("memory/{board}.x");
    fs::copy(&memory, out.join("memory.x")).expect("copy memory.x");
    println!("cargo::rustc-link-search={}", out.display());
    println!("cargo::rerun-if-changed={memory}");
}
