use std::io::IsTerminal;
use std::process::ExitCode;

use console::{Key, Term};

use super::{CommandError, Ctx};
use crate::calibration::{self, ReviewQueue};
use crate::labels::{self, Label, Mark};
use crate::printer::Printer;
use crate::workspace::Workspace;

/// Review a run's samples in the terminal, one at a time: variables, output, expected answer,
/// each grader's score and reason, the tool-calling loop; label each pass, fail or a score,
/// with a note. Labels go to `.llmops/labels/<eval>.jsonl` under your git identity; the
/// reviewer resumes at the first sample you have not labelled. Keys: p pass, f fail, s score,
/// n note, space/→ skip, ←/b back, u undo, q quit
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// The run (id prefix, `EVAL` for its latest, or `EVAL~N`)
    pub run: String,
    /// Only samples that failed
    #[arg(long)]
    pub failed: bool,
    /// Only samples this grader graded, its grade shown first
    #[arg(long, value_name = "NAME")]
    pub grader: Option<String>,
    /// Start at this sample (its row id, or `ID#REPEAT`)
    #[arg(long, value_name = "ID")]
    pub sample: Option<String>,
}

pub fn cmd_review(ctx: &Ctx, printer: &Printer, args: ReviewArgs) -> Result<ExitCode, CommandError> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(CommandError::usage("`llmops review` needs a terminal").hint("in scripts, label a sample with `llmops label RUN SAMPLE --pass|--fail|--score N [--note TEXT]`"));
    }
    let ws = ctx.workspace()?;
    let queue = calibration::review_queue(&ws, &args.run, args.failed, args.grader.as_deref())?;
    if queue.items.is_empty() {
        printer.status("no samples to review");
        return Ok(ExitCode::SUCCESS);
    }
    let start = match &args.sample {
        Some(s) => {
            let samples: Vec<crate::run::SampleRecord> = queue.items.iter().map(|i| i.sample.clone()).collect();
            let found = calibration::find_sample(&queue.run, &samples, s)?;
            queue.items.iter().position(|i| i.sample.id == found.id && i.sample.repeat == found.repeat).unwrap_or(0)
        }
        None => queue.resume_at(&labels::read(&ws.root, &queue.eval).map_err(calibration::CalibrationError::from)?),
    };
    let term = Term::stdout();
    // Ctrl-C leaves the terminal as it found it (what was labelled is already written).
    let _ = ctrlc::set_handler(|| {
        let term = Term::stdout();
        let _ = term.write_str("\x1b[?25h\x1b[?1049l");
        std::process::exit(130);
    });
    // The alternate screen: the shell's scrollback is left as it was.
    term.write_str("\x1b[?1049h")?;
    term.hide_cursor()?;
    let result = Reviewer { ws: &ws, queue: &queue, term: &term, at: start, undo: Vec::new(), message: String::new() }.run();
    term.show_cursor()?;
    term.write_str("\x1b[?1049l")?;
    let labelled = result?;
    printer.status(format!("{labelled} of {} samples labelled by {} in `{}`", queue.items.len(), queue.reviewer, labels::rel_path(&queue.eval)));
    Ok(ExitCode::SUCCESS)
}

struct Reviewer<'a> {
    ws: &'a Workspace,
    queue: &'a ReviewQueue,
    term: &'a Term,
    at: usize,
    /// What each label of this session replaced, newest last.
    undo: Vec<(Label, Option<Label>, usize)>,
    message: String,
}

impl Reviewer<'_> {
    /// Shows samples and takes keys until `q`; returns how many samples the reviewer has
    /// labelled.
    fn run(&mut self) -> Result<usize, CommandError> {
        loop {
            let labels = labels::read(&self.ws.root, &self.queue.eval).map_err(calibration::CalibrationError::from)?;
            self.draw(&labels)?;
            let key = self.term.read_key()?;
            self.message.clear();
            match key {
                Key::Char('q') | Key::Escape => return Ok((0..self.queue.items.len()).filter(|&i| self.queue.label_of(&labels, i).is_some()).count()),
                Key::Char('p') => self.put(&labels, Mark::Pass, None)?,
                Key::Char('f') => self.put(&labels, Mark::Fail, None)?,
                Key::Char('s') => {
                    let (lo, hi) = self.queue.scale;
                    let text = self.ask(&format!("score ({lo} to {hi}): "))?;
                    match text.trim().parse::<f64>() {
                        Ok(x) if (lo..=hi).contains(&x) => self.put(&labels, Mark::Score(x), None)?,
                        _ => self.message = format!("`{}` is not a score from {lo} to {hi}", text.trim()),
                    }
                }
                Key::Char('n') => {
                    let note = self.ask("note: ")?;
                    match self.queue.label_of(&labels, self.at) {
                        Some(l) => {
                            // The note joins the label; the reviewer stays on the sample.
                            let (mark, at) = (l.label, self.at);
                            self.put(&labels, mark, Some(note))?;
                            self.at = at;
                        }
                        None => self.message = "label the sample first (p, f or s), then add a note".into(),
                    }
                }
                Key::Char(' ') | Key::ArrowRight | Key::Char('j') => self.at = (self.at + 1).min(self.queue.items.len() - 1),
                Key::ArrowLeft | Key::Char('b') | Key::Char('k') => self.at = self.at.saturating_sub(1),
                Key::Char('u') => match self.undo.pop() {
                    Some((label, replaced, at)) => {
                        labels::undo(&self.ws.root, &self.queue.eval, &label, replaced).map_err(calibration::CalibrationError::from)?;
                        self.at = at;
                        self.message = format!("undone: {} of `{}`", label.label.describe(), label.id);
                    }
                    None => self.message = "nothing to undo".into(),
                },
                _ => self.message = "keys: p pass, f fail, s score, n note, space skip, ← back, u undo, q quit".into(),
            }
        }
    }

    /// Labels the current sample (keeping its note unless `note` gives one) and moves on.
    fn put(&mut self, labels: &[Label], mark: Mark, note: Option<String>) -> Result<(), CommandError> {
        let item = &self.queue.items[self.at];
        let note = note.or_else(|| self.queue.label_of(labels, self.at).and_then(|l| l.note.clone()));
        let expected = self.queue.label_of(labels, self.at).and_then(|l| l.expected.clone());
        let label = calibration::new_label(self.ws, &self.queue.run, &item.sample, mark, note, expected)?;
        let replaced = labels::put(&self.ws.root, &self.queue.eval, label.clone()).map_err(calibration::CalibrationError::from)?;
        self.undo.push((label, replaced, self.at));
        self.message = format!("`{}`: {}", item.sample.id, mark.describe());
        if self.at + 1 < self.queue.items.len() {
            self.at += 1;
        }
        Ok(())
    }

    /// Reads a line typed at the bottom of the screen.
    fn ask(&self, prompt: &str) -> Result<String, CommandError> {
        self.term.show_cursor()?;
        self.term.write_str(&format!("\r\n{prompt}"))?;
        let line = self.term.read_line()?;
        self.term.hide_cursor()?;
        Ok(line)
    }

    fn draw(&self, labels: &[Label]) -> Result<(), CommandError> {
        let (rows, cols) = self.term.size();
        let (rows, width) = (rows as usize, (cols as usize).max(20));
        let q = self.queue;
        let item = &q.items[self.at];
        let s = &item.sample;
        let done = (0..q.items.len()).filter(|&i| q.label_of(labels, i).is_some()).count();
        let mut lines = vec![
            format!("llmops review  eval {}  run {}  {} of {} labelled by {}", q.eval, crate::version::short_str(&q.run), done, q.items.len(), q.reviewer),
            format!("sample {} of {}: {}#{}  run verdict {} (score {:.3})", self.at + 1, q.items.len(), s.id, s.repeat, if s.pass { "pass" } else { "FAIL" }, s.score),
            "─".repeat(width.min(100)),
        ];
        lines.push("variables:".into());
        for (k, v) in &s.vars {
            lines.push(format!("  {k}: {}", crate::grade::text_of(v)));
        }
        lines.push(format!("expected: {}", item.expected.as_deref().unwrap_or("(none)")));
        lines.push("output:".into());
        lines.extend(s.output.lines().map(|l| format!("  {l}")));
        if let Some(e) = &s.error {
            lines.push(format!("error: {e}"));
        }
        lines.push("grades:".into());
        for d in &q.dimensions {
            if let Some(g) = s.grades.get(d) {
                lines.push(format!("  {d}  {} {:.3}  {}", if g.pass { "pass" } else { "FAIL" }, g.score, g.reason));
            }
        }
        if let Some(t) = &s.trajectory {
            lines.push("trajectory:".into());
            for step in serde_json::to_value(t).ok().and_then(|v| v["steps"].as_array().cloned()).unwrap_or_default() {
                lines.push(format!("  {}", crate::text::clip(&step.to_string(), width.saturating_sub(4))));
            }
        }
        lines.push("─".repeat(width.min(100)));
        lines.push(match q.label_of(labels, self.at) {
            Some(l) => format!("your label: {}{}", l.label.describe(), l.note.as_ref().map(|n| format!("  note: {n}")).unwrap_or_default()),
            None => "your label: (none)".into(),
        });
        let footer = format!("[p] pass  [f] fail  [s] score {}-{}  [n] note  [space] skip  [b] back  [u] undo  [q] quit", q.scale.0, q.scale.1);
        // Long lines are cut to the width; what does not fit above the footer is cut too.
        let budget = rows.saturating_sub(3).max(4);
        let mut screen: Vec<String> = lines.iter().map(|l| crate::text::clip(l, width)).collect();
        if screen.len() > budget {
            screen.truncate(budget - 1);
            screen.push("  …".into());
        }
        screen.push(footer);
        screen.push(crate::text::clip(&self.message, width));
        self.term.clear_screen()?;
        self.term.write_str(&screen.join("\r\n"))?;
        Ok(())
    }
}
