//! Parallel work over a list, results handed on in input order with a bounded window.
//!
//! [`ordered`] runs `work` on every item on `jobs` threads and calls `sink` with each result in
//! input order, as soon as it and all before it are done. At most `window` items are in flight
//! or waiting to be handed on (2 × jobs by default), so memory stays flat whatever the length of
//! the list: a slow file holds the others back instead of letting results pile up.

use std::collections::BTreeMap;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
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
    read: &crate::read::ReadOptions,
    mut sink: impl FnMut(&Path, crate::Result<Document>) -> Result<(), E>,
) -> Result<(), E> {
    ordered(
        files,
        jobs,
        |f| crate::read::read_file_with(f, read),
        |i, r| sink(&files[i], r),
    )
}

/// Writes `{"schema": 3, "tables": [...], "discrepancies": [...], "failed": [...]}` as the
/// documents come, in the same bytes as `serde_json::to_writer_pretty` of the whole batch:
/// each table is written when it arrives, the findings wait in a temporary file (their table
/// indices renumbered across files) until the tables are done.
pub struct JsonStream<W: Write> {
    out: W,
    spool: BufWriter<std::fs::File>,
    tables: usize,
    findings: usize,
    /// One table's or finding's text, reused.
    buf: Vec<u8>,
}

/// Pretty JSON of `value`, every line indented by `indent` spaces.
fn indented<T: Serialize + ?Sized>(value: &T, indent: usize) -> serde_json::Result<String> {
    let mut buf = Vec::new();
    indented_into(&mut buf, value, indent)?;
    String::from_utf8(buf).map_err(serde::ser::Error::custom)
}

/// [`indented`] appended to `buf`, in one pass (the pretty printer itself indents each line).
fn indented_into<T: Serialize + ?Sized>(
    buf: &mut Vec<u8>,
    value: &T,
    indent: usize,
) -> serde_json::Result<()> {
    let pad = &PAD[..indent.min(PAD.len())];
    buf.extend_from_slice(pad);
    let mut ser = serde_json::Serializer::with_formatter(
        buf,
        PaddedPretty {
            pad,
            level: 0,
            has_value: false,
        },
    );
    value.serialize(&mut ser)
}

const PAD: &[u8] = b"        ";

/// serde_json's pretty format (two spaces a level) with `pad` before every line after the
/// first: `to_string_pretty`'s text with each line indented, without a second pass over it.
struct PaddedPretty<'a> {
    pad: &'a [u8],
    level: usize,
    has_value: bool,
}

impl PaddedPretty<'_> {
    fn new_line<W: ?Sized + Write>(&self, w: &mut W, before: &[u8]) -> std::io::Result<()> {
        w.write_all(before)?;
        w.write_all(self.pad)?;
        for _ in 0..self.level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for PaddedPretty<'_> {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.new_line(w, b"\n")?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(w, if first { b"\n" } else { b",\n" })
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.new_line(w, b"\n")?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(w, if first { b"\n" } else { b",\n" })
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

impl<W: Write> JsonStream<W> {
    /// Starts the JSON on `out`.
    ///
    /// # Errors
    /// When `out` or the temporary file fails.
    pub fn new(mut out: W) -> std::io::Result<Self> {
        write!(
            out,
            "{{\n  \"schema\": {},\n  \"tables\": [",
            crate::model::SCHEMA_VERSION
        )?;
        Ok(JsonStream {
            out,
            spool: BufWriter::new(tempfile::tempfile()?),
            tables: 0,
            findings: 0,
            buf: Vec::new(),
        })
    }

    /// Writes one file's tables and keeps its findings for later.
    ///
    /// # Errors
    /// When writing fails.
    pub fn add(&mut self, doc: &Document) -> std::io::Result<()> {
        for t in &doc.tables {
            let sep = if self.tables == 0 { "\n" } else { ",\n" };
            self.buf.clear();
            self.buf.extend_from_slice(sep.as_bytes());
            indented_into(&mut self.buf, t, 4)?;
            self.out.write_all(&self.buf)?;
            self.tables += 1;
        }
        let offset = self.tables - doc.tables.len();
        for f in &doc.discrepancies {
            let mut f = f.clone();
            f.table = f.table.map(|t| t + offset);
            let sep = if self.findings == 0 { "\n" } else { ",\n" };
            self.buf.clear();
            self.buf.extend_from_slice(sep.as_bytes());
            indented_into(&mut self.buf, &f, 4)?;
            self.spool.write_all(&self.buf)?;
            self.findings += 1;
        }
        Ok(())
    }

    /// Closes the tables, copies the findings, writes `failed` and ends the object.
    ///
    /// # Errors
    /// When writing fails.
    pub fn finish<F: Serialize + ?Sized>(mut self, failed: &F) -> std::io::Result<W> {
        let close = |n: usize| if n == 0 { "]" } else { "\n  ]" };
        write!(self.out, "{},\n  \"discrepancies\": [", close(self.tables))?;
        let mut file = self
            .spool
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        file.seek(SeekFrom::Start(0))?;
        std::io::copy(&mut file, &mut self.out)?;
        let failed = indented(failed, 2)?;
        write!(
            self.out,
            "{},\n  \"failed\": {}\n}}",
            close(self.findings),
            failed.trim_start()
        )?;
        Ok(self.out)
    }
}

/// One line of `--jsonl`: a table with its findings, or a file that could not be read.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum JsonLine<'a> {
    /// A table, with the findings about it (and, on a file's first table, those about the file).
    Table {
        /// The input file.
        file: &'a str,
        /// The table.
        table: &'a crate::model::Table,
        /// Its findings (`table` renumbered across the batch).
        discrepancies: Vec<crate::model::Finding>,
    },
    /// A file that could not be read.
    Failed {
        /// The input file.
        file: &'a str,
        /// Why.
        failed: &'a str,
    },
}

/// Writes one JSON line per table as the documents come (`--jsonl`).
pub struct JsonLines<W: Write> {
    out: W,
    tables: usize,
}

impl<W: Write> JsonLines<W> {
    /// Starts writing on `out`.
    pub fn new(out: W) -> Self {
        JsonLines { out, tables: 0 }
    }

    /// Writes one line per table of `doc`.
    ///
    /// # Errors
    /// When writing fails.
    pub fn add(&mut self, file: &str, doc: &Document) -> std::io::Result<()> {
        let offset = self.tables;
        for (i, t) in doc.tables.iter().enumerate() {
            let discrepancies = doc
                .discrepancies
                .iter()
                .filter(|f| f.table == Some(i) || (i == 0 && f.table.is_none()))
                .map(|f| {
                    let mut f = f.clone();
                    f.table = f.table.map(|t| t + offset);
                    f
                })
                .collect();
            let line = JsonLine::Table {
                file,
                table: t,
                discrepancies,
            };
            serde_json::to_writer(&mut self.out, &line)?;
            self.out.write_all(b"\n")?;
        }
        self.tables += doc.tables.len();
        Ok(())
    }

    /// Writes a line for a file that could not be read.
    ///
    /// # Errors
    /// When writing fails.
    pub fn failed(&mut self, file: &str, reason: &str) -> std::io::Result<()> {
        serde_json::to_writer(
            &mut self.out,
            &JsonLine::Failed {
                file,
                failed: reason,
            },
        )?;
        self.out.write_all(b"\n")
    }

    /// The writer.
    pub fn into_inner(self) -> W {
        self.out
    }
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
    fn streamed_json_is_the_pretty_json_of_the_whole_batch() {
        #[derive(Serialize)]
        struct Whole<'a> {
            #[serde(flatten)]
            doc: &'a Document,
            failed: &'a [(&'a str, &'a str)],
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let docs: Vec<Document> = ["seed-one-per-sheet.xlsx", "messy.xlsx", "yuan.xlsx"]
            .iter()
            .map(|n| crate::read::read_file(&root.join(n)).unwrap_or_else(|e| panic!("{e}")))
            .collect();
        let failed = [("坏.xlsx", "文件为空")];
        for docs in [&docs[..], &docs[..0]] {
            let mut whole = Document::default();
            let mut stream = JsonStream::new(Vec::new()).unwrap_or_else(|e| panic!("{e}"));
            for d in docs {
                whole.append(d.clone());
                stream.add(d).unwrap_or_else(|e| panic!("{e}"));
            }
            for failed in [&failed[..], &failed[..0]] {
                let expected = serde_json::to_string_pretty(&Whole {
                    doc: &whole,
                    failed,
                })
                .unwrap_or_else(|e| panic!("{e}"));
                let mut again = JsonStream::new(Vec::new()).unwrap_or_else(|e| panic!("{e}"));
                for d in docs {
                    again.add(d).unwrap_or_else(|e| panic!("{e}"));
                }
                let got = again.finish(failed).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(String::from_utf8_lossy(&got), expected);
            }
            drop(stream);
        }
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
