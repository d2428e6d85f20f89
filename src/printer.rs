//! The printer every command receives: data goes to stdout, status to stderr. It knows
//! `--quiet`, `--json` and whether colour is wanted (a terminal, and no `NO_COLOR`).

use std::fmt::Display;
use std::io::{self, IsTerminal, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone)]
pub struct Printer {
    pub quiet: bool,
    pub json: bool,
    pub verbose: bool,
    color_out: bool,
    color_err: bool,
}

/// A terminal style.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    Bold,
    Dim,
    Green,
    Red,
    Yellow,
    Cyan,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Bold => "1",
            Style::Dim => "2",
            Style::Green => "32",
            Style::Red => "31",
            Style::Yellow => "33",
            Style::Cyan => "36",
        }
    }
}

impl Printer {
    pub fn new(quiet: bool, json: bool, verbose: bool, color: ColorChoice) -> Printer {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let wants = |is_tty: bool| match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_tty && !no_color,
        };
        Printer {
            quiet,
            json,
            verbose,
            color_out: wants(io::stdout().is_terminal()),
            color_err: wants(io::stderr().is_terminal()),
        }
    }

    /// A plain printer, for tests and library callers.
    pub fn plain() -> Printer {
        Printer { quiet: false, json: false, verbose: false, color_out: false, color_err: false }
    }

    /// One line of data on stdout.
    pub fn line(&self, text: impl Display) -> io::Result<()> {
        let mut out = io::stdout().lock();
        reader_gone_is_fine(writeln!(out, "{text}"))
    }

    /// Data on stdout, as it is.
    pub fn write(&self, text: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        reader_gone_is_fine(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
    }

    /// A value as pretty JSON on stdout.
    pub fn json_value<T: serde::Serialize>(&self, value: &T) -> io::Result<()> {
        let mut out = io::stdout().lock();
        let written = serde_json::to_writer_pretty(&mut out, value).map_err(io::Error::from).and_then(|()| writeln!(out));
        reader_gone_is_fine(written)
    }

    /// A status line on stderr, muted by `--quiet`.
    pub fn status(&self, text: impl Display) {
        if !self.quiet {
            let _ = writeln!(io::stderr().lock(), "{text}");
        }
    }

    /// A warning on stderr; `--quiet` does not mute it.
    pub fn warn(&self, text: impl Display) {
        let label = self.paint_err("warning", Style::Yellow);
        let _ = writeln!(io::stderr().lock(), "{label}: {text}");
    }

    /// A byte progress bar on stderr, only when stderr is a terminal and not `--quiet`.
    pub fn progress_bar(&self) -> Option<indicatif::ProgressBar> {
        if self.quiet || !io::stderr().is_terminal() {
            return None;
        }
        let bar = indicatif::ProgressBar::new(0);
        let style = indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        Some(bar)
    }

    /// `text` in `style` when stdout wants colour.
    pub fn paint(&self, text: &str, style: Style) -> String {
        paint(self.color_out, text, style)
    }

    /// `text` in `style` when stderr wants colour.
    pub fn paint_err(&self, text: &str, style: Style) -> String {
        paint(self.color_err, text, style)
    }
}

/// A reader that closed the pipe (`llmops verify | head`) has all it wanted: the rest of the
/// data is dropped and the command goes on to its own exit code (a failed verdict still
/// exits 1), instead of ending as if it had succeeded.
fn reader_gone_is_fine(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn paint(enabled: bool, text: &str, style: Style) -> String {
    if enabled { format!("\x1b[{}m{text}\x1b[0m", style.code()) } else { text.to_owned() }
}
