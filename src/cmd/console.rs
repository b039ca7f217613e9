//! The Windows console: UTF-8 output, how many processes share the console, a key press.
//! Elsewhere these do nothing (`None`, no wait).
//!
//! The only `unsafe` code of the project is the three Win32 calls in `win` below (the crate
//! denies `unsafe_code`; the library forbids it outright). No maintained crate wraps
//! `SetConsoleOutputCP` and `GetConsoleProcessList` safely; `windows-sys` (already in the
//! dependency tree, through indicatif's `console`) declares them.

/// While alive, the console shows UTF-8 (code page 65001); dropped, it gets its code page back,
/// so a `cmd.exe` window is left as it was.
#[derive(Debug)]
pub struct Utf8Output {
    #[cfg(windows)]
    previous: u32,
}

/// Sets the console's output code page to UTF-8 (Windows; nothing elsewhere, or without a
/// console). Rust writes to a console in UTF-16 anyway; the code page matters for what the
/// program's output turns into when `cmd.exe` passes it on (`| more`, `type`) and for children.
pub fn utf8_output() -> Utf8Output {
    #[cfg(windows)]
    {
        let previous = win::output_code_page();
        if previous != 0 && previous != win::UTF8 {
            win::set_output_code_page(win::UTF8);
        }
        Utf8Output { previous }
    }
    #[cfg(not(windows))]
    Utf8Output {}
}

#[cfg(windows)]
impl Drop for Utf8Output {
    fn drop(&mut self) {
        if self.previous != 0 && self.previous != win::UTF8 {
            win::set_output_code_page(self.previous);
        }
    }
}

/// How many processes are attached to this program's console: 1 when Explorer started it in a
/// window of its own, 2 or more under `cmd.exe`; `None` without a console and off Windows.
pub fn process_count() -> Option<u32> {
    #[cfg(windows)]
    return win::process_count();
    #[cfg(not(windows))]
    None
}

/// Says [`super::drop::PAUSE_PROMPT`] and waits for a key (returns at once when stdout is not a
/// console, or off Windows).
pub fn wait_for_key() {
    #[cfg(windows)]
    {
        use std::io::Write;
        let term = console::Term::stdout();
        if term.is_term() {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out);
            let _ = write!(out, "{}", super::drop::PAUSE_PROMPT);
            let _ = out.flush();
            drop(out);
            let _ = term.read_key();
            let _ = writeln!(std::io::stdout());
        }
    }
}

#[cfg(windows)]
#[allow(unsafe_code)]
mod win {
    use windows_sys::Win32::System::Console::{
        GetConsoleOutputCP, GetConsoleProcessList, SetConsoleOutputCP,
    };

    /// The UTF-8 code page.
    pub const UTF8: u32 = 65001;

    pub fn output_code_page() -> u32 {
        // SAFETY: no arguments and no memory passed; returns 0 when there is no console.
        unsafe { GetConsoleOutputCP() }
    }

    pub fn set_output_code_page(code_page: u32) -> bool {
        // SAFETY: a plain integer argument; fails (returns 0) without a console.
        unsafe { SetConsoleOutputCP(code_page) != 0 }
    }

    pub fn process_count() -> Option<u32> {
        let mut ids = [0u32; 8];
        // SAFETY: the pointer and the length describe `ids`, which lives past the call; the
        // function writes at most that many ids (it returns the count needed when more are
        // attached, without writing past the buffer), and returns 0 without a console.
        let n = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
        (n > 0).then_some(n)
    }
}
