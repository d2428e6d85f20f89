use std::process::ExitCode;

use super::{CommandError, Ctx};
use crate::labels::Mark;
use crate::printer::Printer;

/// Label one sample of a recorded run, as `llmops review` does, for scripts: pass, fail or a
/// score on the eval's scale. The label goes to `.llmops/labels/<eval>.jsonl` under your git
/// identity, attached to the sample's output; labelling it again replaces your label.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("mark").required(true).args(["pass", "fail", "score"])))]
pub struct LabelArgs {
    /// The run (id prefix, `EVAL` for its latest, or `EVAL~N`)
    pub run: String,
    /// The sample: its row id, or `ID#REPEAT`
    pub sample: String,
    /// The output is right
    #[arg(long)]
    pub pass: bool,
    /// The output is wrong
    #[arg(long)]
    pub fail: bool,
    /// A score on the eval's scale (its judge's `scale:`, else 0 to 1)
    #[arg(long, value_name = "N")]
    pub score: Option<f64>,
    /// Why
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// The answer the sample should have given (`dataset add --from-run` uses it as `expected`)
    #[arg(long, value_name = "TEXT")]
    pub expected: Option<String>,
}

pub fn cmd_label(ctx: &Ctx, printer: &Printer, args: LabelArgs) -> Result<ExitCode, CommandError> {
    let ws = ctx.workspace()?;
    let mark = match (args.pass, args.fail, args.score) {
        (true, _, _) => Mark::Pass,
        (_, true, _) => Mark::Fail,
        (_, _, Some(s)) => Mark::Score(s),
        _ => return Err(CommandError::usage("give --pass, --fail or --score N")),
    };
    let done = crate::calibration::label(&ws, &args.run, &args.sample, mark, args.note, args.expected)?;
    if printer.json {
        printer.json_value(&serde_json::json!({"eval": done.eval, "label": done.label, "replaced": done.replaced}))?;
    } else {
        let what = match &done.replaced {
            Some(old) => format!(" (was {})", old.label.describe()),
            None => String::new(),
        };
        printer.write(&format!(
            "labelled `{}`#{} of eval `{}`: {}{what}, in `{}`\n",
            crate::text::clip(&done.label.id, 60),
            done.label.repeat,
            done.eval,
            done.label.label.describe(),
            crate::labels::rel_path(&done.eval)
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
