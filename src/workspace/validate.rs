//! `llmops validate`: every file checked, every problem reported at once, including the
//! ones that only show across files (an eval naming a missing prompt, a dataset row that
//! lacks a variable the prompt's templates use).

use std::collections::BTreeMap;
use std::path::Path;

use super::{FileKind, Workspace, WorkspaceError};
use crate::diagnostic::{Diagnostic, nearest};
use crate::spec::eval::{EvalSpec, GraderKind};
use crate::spec::prompt::Prompt;
use crate::spec::{Seg, diag_at};

/// At most this many problems are listed per dataset; the rest are counted.
const MAX_ROW_PROBLEMS: usize = 20;

#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    pub prompts: usize,
    pub datasets: usize,
    pub evals: usize,
    pub rows: usize,
    pub diagnostics: Vec<Diagnostic>,
}

pub(super) fn run(ws: &Workspace) -> Result<Report, WorkspaceError> {
    let mut report = Report::default();
    let mut prompts: BTreeMap<String, (String, Prompt)> = BTreeMap::new();
    let mut prompt_paths: BTreeMap<String, String> = BTreeMap::new();

    let (files, problems) = ws.list(FileKind::Prompt)?;
    report.diagnostics.extend(problems);
    report.prompts = files.len();
    for file in files {
        let source = ws.read(FileKind::Prompt, file.name.as_str())?;
        match Prompt::parse(Path::new(&file.rel_path), &source.text) {
            Ok(prompt) => {
                if let Some(model) = &prompt.model {
                    if !ws.config.models.contains_key(model) {
                        report.diagnostics.push(unknown_model(ws, &file.rel_path, &source.text, &[Seg::Key("model")], model));
                    }
                }
                if let Some(r) = &prompt.retrieve {
                    if !ws.config.indexes.contains_key(&r.index) {
                        let d = diag_at(Path::new(&file.rel_path), &source.text, &[Seg::Key("retrieve"), Seg::Key("index")], format!("index `{}` is not under `indexes:` in `.llmops/config.yaml`", r.index));
                        report.diagnostics.push(match nearest(&r.index, ws.config.indexes.keys().map(String::as_str)) {
                            Some(best) => d.with_hint(format!("did you mean `{best}`?")),
                            None => d,
                        });
                    } else if r.mode.is_some_and(|m| m != crate::spec::config::SearchMode::Bm25) && ws.config.indexes[&r.index].embed_model.is_none() {
                        let d = diag_at(Path::new(&file.rel_path), &source.text, &[Seg::Key("retrieve"), Seg::Key("mode")], format!("index `{}` has no `embed_model`, so it has no vectors to search", r.index));
                        report.diagnostics.push(d);
                    }
                }
                for (i, tool) in prompt.tools.iter().enumerate() {
                    if let Some(index) = tool.retrieve.as_ref().filter(|i| !ws.config.indexes.contains_key(*i)) {
                        let at = [Seg::Key("tools"), Seg::Index(i), Seg::Key("retrieve")];
                        report.diagnostics.push(diag_at(Path::new(&file.rel_path), &source.text, &at, format!("tool `{}` searches index `{index}`, which is not under `indexes:` in `.llmops/config.yaml`", tool.name)));
                    }
                }
                prompt_paths.insert(file.name.to_string(), file.rel_path.clone());
                prompts.insert(file.name.to_string(), (source.text, prompt));
            }
            Err(diags) => report.diagnostics.extend(diags),
        }
    }

    check_subagents(&prompts, &prompt_paths, &mut report.diagnostics);

    let (files, problems) = ws.list(FileKind::Dataset)?;
    report.diagnostics.extend(problems);
    report.datasets = files.len();
    for file in &files {
        let (_, _, rows) = ws.open_dataset(file.name.as_str())?;
        let mut problems = 0usize;
        for row in rows {
            match row {
                Ok(_) => report.rows += 1,
                Err(d) => {
                    problems += 1;
                    if problems <= MAX_ROW_PROBLEMS {
                        report.diagnostics.push(d);
                    }
                }
            }
        }
        if problems > MAX_ROW_PROBLEMS {
            report.diagnostics.push(Diagnostic::new(
                &file.rel_path,
                format!("{} more problems in this dataset not shown", problems - MAX_ROW_PROBLEMS),
            ));
        }
    }

    // Each index's dataset exists.
    let dataset_names: std::collections::BTreeSet<String> = files.iter().map(|f| f.name.to_string()).collect();
    for (name, index) in &ws.config.indexes {
        if !dataset_names.contains(&index.dataset) {
            let config_text = std::fs::read_to_string(ws.root.join(crate::spec::config::CONFIG_PATH)).unwrap_or_default();
            let path = [Seg::Key("indexes"), Seg::Key(name), Seg::Key("dataset")];
            report.diagnostics.push(crate::spec::diag_at(
                Path::new(crate::spec::config::CONFIG_PATH),
                &config_text,
                &path,
                format!("index `{name}` reads dataset `{}`, which does not exist", index.dataset),
            ));
        }
    }

    let (files, problems) = ws.list(FileKind::Eval)?;
    report.diagnostics.extend(problems);
    report.evals = files.len();
    for file in files {
        let source = ws.read(FileKind::Eval, file.name.as_str())?;
        let (spec, diags) = EvalSpec::check(Path::new(&file.rel_path), &source.text);
        report.diagnostics.extend(diags);
        if let Some(spec) = spec {
            check_eval(ws, &file.rel_path, &source.text, &spec, &prompts, &mut report.diagnostics)?;
        }
    }
    Ok(report)
}

/// The `prompt:` tools of each prompt: the prompt exists, does not retrieve, has its template
/// variables among the tool's arguments, and no chain of sub-agents leads back to itself.
fn check_subagents(prompts: &BTreeMap<String, (String, Prompt)>, paths: &BTreeMap<String, String>, diags: &mut Vec<Diagnostic>) {
    for (name, (text, prompt)) in prompts {
        let rel_path = &paths[name];
        for (i, tool) in prompt.tools.iter().enumerate() {
            let Some(sub) = &tool.prompt else { continue };
            let at = [Seg::Key("tools"), Seg::Index(i), Seg::Key("prompt")];
            let d = |message: String| diag_at(Path::new(rel_path), text, &at, message);
            // `NAME@CHANNEL` or `NAME@<version>` runs a released version of NAME: its file is
            // checked as it is now.
            let base = sub.split_once('@').map_or(sub.as_str(), |(name, _)| name);
            let Some((_, target)) = prompts.get(base) else {
                let d = d(format!("tool `{}` runs prompt `{sub}`, which does not exist", tool.name));
                diags.push(match nearest(base, prompts.keys().map(String::as_str)) {
                    Some(best) => d.with_hint(format!("did you mean `{best}`?")),
                    None => d,
                });
                continue;
            };
            if target.retrieve.is_some() {
                diags.push(d(format!("tool `{}` runs prompt `{sub}`, which retrieves: a sub-agent searches through a `retrieve:` tool instead", tool.name)));
            }
            let schema = tool.arguments_schema();
            let given: std::collections::BTreeSet<&str> = schema.get("properties").and_then(|p| p.as_object()).map(|p| p.keys().map(String::as_str).collect()).unwrap_or_default();
            let wanted: std::collections::BTreeSet<String> = target.messages.iter().flat_map(|m| crate::template::variables(&m.content)).collect();
            let missing: Vec<&String> = wanted.iter().filter(|v| !given.contains(v.as_str())).collect();
            if !missing.is_empty() {
                let list = missing.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
                diags.push(d(format!("prompt `{sub}` uses {list}, which tool `{}`'s arguments do not give", tool.name)));
            }
            if let Some(path) = cycle(prompts, name, base) {
                diags.push(d(format!("sub-agents call each other in a circle: {}", path.join(" → "))));
            }
        }
    }
}

/// The chain of `prompt:` tools from `from` through `next` back to `from`, if there is one.
fn cycle(prompts: &BTreeMap<String, (String, Prompt)>, from: &str, next: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_owned(), next.to_owned()]];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().expect("a path");
        if last == from {
            return Some(path);
        }
        if !seen.insert(last.clone()) {
            continue;
        }
        for t in prompts.get(last).map(|(_, p)| p.tools.as_slice()).unwrap_or_default() {
            if let Some(sub) = &t.prompt {
                let mut longer = path.clone();
                longer.push(sub.split_once('@').map_or(sub.as_str(), |(name, _)| name).to_owned());
                stack.push(longer);
            }
        }
    }
    None
}

fn unknown_model(ws: &Workspace, rel_path: &str, text: &str, at: &[Seg<'_>], model: &str) -> Diagnostic {
    let d = diag_at(Path::new(rel_path), text, at, format!("model `{model}` is not defined in `.llmops/config.yaml`"));
    match nearest(model, ws.config.models.keys().map(String::as_str)) {
        Some(best) => d.with_hint(format!("did you mean `{best}`?")),
        None => d.with_hint("add it under `models:` in `.llmops/config.yaml`"),
    }
}

/// References from an eval to other files, and the variables its prompt needs from every row.
fn check_eval(
    ws: &Workspace,
    rel_path: &str,
    text: &str,
    spec: &EvalSpec,
    prompts: &BTreeMap<String, (String, Prompt)>,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), WorkspaceError> {
    let at = |path: &[Seg<'_>], message: String| diag_at(Path::new(rel_path), text, path, message);
    let missing = |kind: FileKind, path: &[Seg<'_>], name: &str| -> Diagnostic {
        match ws.find(kind, name) {
            Err(WorkspaceError::NotFound { expected, suggestion, .. }) => {
                let d = at(path, format!("{} `{name}` does not exist (no `{expected}`)", kind.noun()));
                match suggestion {
                    Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                    None => d,
                }
            }
            Err(e) => at(path, e.to_string()),
            Ok(_) => at(path, format!("{} `{name}` has problems of its own (listed above)", kind.noun())),
        }
    };

    let prompt = prompts.get(&spec.prompt);
    if prompt.is_none() {
        diags.push(missing(FileKind::Prompt, &[Seg::Key("prompt")], &spec.prompt));
    }
    if let Some(i) = spec.graders.iter().position(|g| g.kind == GraderKind::ContextRecall).filter(|_| prompt.is_some_and(|(_, p)| p.retrieve.is_none())) {
        diags.push(at(&[Seg::Key("graders"), Seg::Index(i), Seg::Key("type")], format!("`context-recall` grades what prompt `{}` retrieves, and it has no `retrieve:`", spec.prompt)));
    }
    let reads_trajectory = |k: GraderKind| {
        matches!(k, GraderKind::TrajectoryToolUsed | GraderKind::TrajectoryToolSequence | GraderKind::TrajectoryToolArgsMatch | GraderKind::TrajectoryStepCount | GraderKind::ToolCallValid)
    };
    if let Some(i) = spec.graders.iter().position(|g| reads_trajectory(g.kind)).filter(|_| prompt.is_some_and(|(_, p)| !p.is_agent())) {
        diags.push(at(&[Seg::Key("graders"), Seg::Index(i), Seg::Key("type")], format!("this grader reads the tool-calling loop of prompt `{}`, which has no tools to call", spec.prompt)));
    }
    if !spec.target.is_generation() && prompt.is_some_and(|(_, p)| p.retrieve.is_none()) {
        diags.push(at(&[Seg::Key("target")], format!("`target: retrieval` scores what prompt `{}` retrieves, and it has no `retrieve:`", spec.prompt)));
    }
    match &spec.model {
        Some(model) if !ws.config.models.contains_key(model) => {
            diags.push(unknown_model(ws, rel_path, text, &[Seg::Key("model")], model));
        }
        Some(_) => {}
        None => {
            let prompt_model = prompt.and_then(|(_, p)| p.model.as_ref());
            if prompt_model.is_none() && ws.config.default_model.is_none() {
                diags.push(at(&[Seg::Key("prompt")], "no model: the eval, its prompt and the config name none".into())
                    .with_hint("set `default_model` in `.llmops/config.yaml`"));
            }
        }
    }
    if let Some(e) = &spec.experiment {
        for (i, model) in e.models.iter().enumerate().filter(|(_, m)| !ws.config.models.contains_key(*m)) {
            diags.push(unknown_model(ws, rel_path, text, &[Seg::Key("experiment"), Seg::Key("models"), Seg::Index(i)], model));
        }
        // A draft must be a prompt file of its own (its problems are its file's).
        for (i, file) in e.prompt_files.iter().enumerate().filter(|(_, f)| crate::spec::eval::relative_inside(f)) {
            // Only a committed file is read: never an ignored one (`.env`, a key) that a
            // parse error would quote.
            if !ws.is_committed(file) {
                diags.push(at(&[Seg::Key("experiment"), Seg::Key("prompt_files"), Seg::Index(i)], format!("draft `{file}` is not committed: an `experiment:` block may name committed files only")));
                continue;
            }
            match ws.load_prompt_file(&spec.prompt, file) {
                Ok(_) => {}
                Err(WorkspaceError::Invalid(found)) => diags.extend(found),
                Err(err) => diags.push(at(&[Seg::Key("experiment"), Seg::Key("prompt_files"), Seg::Index(i)], format!("draft `{file}`: {err}"))),
            }
        }
    }
    for (i, grader) in spec.graders.iter().enumerate() {
        let here = [Seg::Key("graders"), Seg::Index(i), Seg::Key("prompt")];
        if grader.kind == GraderKind::Judge {
            if let Some(judge) = &grader.prompt {
                match prompts.get(judge) {
                    None => diags.push(missing(FileKind::Prompt, &here, judge)),
                    Some((_, p)) if p.retrieve.is_some() => {
                        diags.push(at(&here, format!("judge prompt `{judge}` has `retrieve:`, which judges do not run: a judge sees the RAG prompt's own `context`")));
                    }
                    Some(_) => {}
                }
            }
        }
        if let Some(model) = &grader.model {
            if !ws.config.models.contains_key(model) {
                let here = [Seg::Key("graders"), Seg::Index(i), Seg::Key("model")];
                diags.push(unknown_model(ws, rel_path, text, &here, model));
            }
        }
    }

    let dataset = match ws.open_dataset(&spec.dataset) {
        Ok(d) => d,
        Err(WorkspaceError::NotFound { .. } | WorkspaceError::Name(_)) => {
            diags.push(missing(FileKind::Dataset, &[Seg::Key("dataset")], &spec.dataset));
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let Some((_, prompt)) = prompt else { return Ok(()) };
    let needed = prompt.variables();
    let (file, _, rows) = dataset;
    let mut dataset_lines: Option<Vec<String>> = None;
    let mut shown = 0usize;
    let mut hidden = 0usize;
    for row in rows.flatten() {
        for variable in needed.iter().filter(|v| !row.vars.contains_key(*v)) {
            if shown < MAX_ROW_PROBLEMS {
                shown += 1;
                let mut d = Diagnostic::new(
                    &file.rel_path,
                    format!(
                        "row `{}` has no variable `{variable}`, which prompt `{}` needs (eval `{}`)",
                        row.id,
                        spec.prompt,
                        rel_path.trim_start_matches("evals/").trim_end_matches(".yaml"),
                    ),
                );
                let lines = dataset_lines.get_or_insert_with(|| {
                    super::files::read(&ws.root, &file.rel_path)
                        .map(|t| String::from_utf8_lossy(&t).lines().map(str::to_owned).collect())
                        .unwrap_or_default()
                });
                d = match lines.get(row.line - 1) {
                    Some(text) => d.at_line(row.line, text),
                    None => Diagnostic { line: Some(row.line), ..d },
                };
                diags.push(d.with_hint(format!("add `\"{variable}\"` to the row's `vars`")));
            } else {
                hidden += 1;
            }
        }
    }
    if hidden > 0 {
        diags.push(Diagnostic::new(&file.rel_path, format!("{hidden} more missing variables not shown")));
    }
    Ok(())
}
