//! Parallel work over a list, results handed on in input order with a bounded window.
//!
//! [`ordered`] runs `work` on every item on `jobs` threads and calls `sink` with each result in
//! input order, as soon as it and all before it are done. At most `window` items are in flight
//! or waiting to be handed on (2 × jobs by default), so memory stays flat whatever the length of
//! the list: a slow file holds the others back instead of letting results pile up.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Condvar, Mutex};

use crate::model::Document;

/// The number of worker threads for `jobs` (0 = one per core).
pub fn threads(jobs: usize) -> usize {
    if jobs > 0 {
        jobs
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    }
}

struct State {
    /// The next item to start.
    next: usize,
    /// Items handed on so far.
    emitted: usize,
    /// Set when the sink failed: no new work is started.
    stop: bool,
}

/// Runs `work` on every item on `jobs` threads (0 = one per core) and hands the results to
/// `sink` in input order. Stops starting new work at the first error of `sink` and returns it.
///
/// # Errors
/// The first error `sink` returned.
pub fn ordered<T, R, E>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(usize, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    let threads = threads(jobs).min(items.len().max(1));
    if threads <= 1 {
        for (i, item) in items.iter().enumerate() {
            sink(i, work(item))?;
        }
        return Ok(());
    }
    let window = 2 * threads;
    let state = Mutex::new(State {
        next: 0,
        emitted: 0,
        stop: false,
    });
    let wake = Condvar::new();
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (state, wake, work) = (&state, &wake, &work);
            scope.spawn(move || loop {
                let i = {
                    let mut s = state
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    while !s.stop && s.next < items.len() && s.next >= s.emitted + window {
                        s = wake
                            .wait(s)
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                    }
                    if s.stop || s.next >= items.len() {
                        return;
                    }
                    s.next += 1;
                    s.next - 1
                };
                if tx.send((i, work(&items[i]))).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, R> = BTreeMap::new();
        let mut emitted = 0;
        let mut result = Ok(());
        for (i, r) in rx.iter() {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&emitted) {
                if let Err(e) = sink(emitted, r) {
                    result = Err(e);
                    break;
                }
                emitted += 1;
            }
            let mut s = state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            s.emitted = emitted;
            if result.is_err() {
                s.stop = true;
            }
            drop(s);
            wake.notify_all();
            if result.is_err() {
                break;
            }
        }
        // Dropping the receiver lets busy workers finish their item and return.
        drop(rx);
        result
    })
}

/// Reads every file on `jobs` threads and hands each file's document (or error) to `sink` in
/// input order, with at most 2 × jobs documents in memory at once.
///
/// # Errors
/// The first error `sink` returned.
pub fn read_files<E>(
    files: &[PathBuf],
    jobs: usize,
    mut sink: impl FnMut(&Path, crate::Result<Document>) -> Result<(), E>,
) -> Result<(), E> {
    ordered(
        files,
        jobs,
        |f| crate::read::read_file(f),
        |i, r| sink(&files[i], r),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn results_come_in_input_order_with_a_bounded_window() {
        let items: Vec<usize> = (0..200).collect();
        let started = AtomicUsize::new(0);
        let mut seen = Vec::new();
        let mut max_ahead = 0;
        let r: Result<(), ()> = ordered(
            &items,
            3,
            |&i| {
                started.fetch_add(1, Ordering::SeqCst);
                // Uneven work: every seventh item is slow.
                if i % 7 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(3));
                }
                i * 2
            },
            |i, v| {
                max_ahead = max_ahead.max(started.load(Ordering::SeqCst) - i);
                seen.push((i, v));
                Ok(())
            },
        );
        assert!(r.is_ok());
        assert_eq!(seen, (0..200).map(|i| (i, i * 2)).collect::<Vec<_>>());
        // Never more than the window (2 × 3) started beyond what was handed on, plus the one
        // being handed on.
        assert!(max_ahead <= 7, "{max_ahead}");
    }

    #[test]
    fn a_failing_sink_stops_the_work() {
        let items: Vec<usize> = (0..1000).collect();
        let started = AtomicUsize::new(0);
        let r = ordered(
            &items,
            2,
            |&i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i, _| if i == 10 { Err("stop") } else { Ok(()) },
        );
        assert_eq!(r, Err("stop"));
        assert!(started.load(Ordering::SeqCst) < 30);
    }
}
