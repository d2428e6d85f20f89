//! The `command` grader: an external program reads the sample as JSON on stdin and writes
//! `{"score": 0.8, "pass": true, "reason": "…"}` (or a bare number) on stdout. It runs only
//! when the eval file (`allow_exec: true`) or `--allow-exec` permits it, and is killed when
//! it outlives its timeout.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{Grader, Sample};

pub(super) fn run(grader: &Grader, sample: &Sample<'_>, allow_exec: bool) -> Result<(f64, String), String> {
    if !allow_exec {
        return Err("`command` graders run only with `allow_exec: true` in the eval or `--allow-exec`".into());
    }
    let argv = grader.spec.command.as_ref().ok_or("no command")?;
    let (program, args) = argv.split_first().ok_or("empty command")?;
    let input = json!({
        "id": sample.row.id,
        "vars": sample.row.vars,
        "expected": sample.row.expected,
        "relevant": sample.row.relevant,
        "labels": sample.row.labels,
        "output": sample.output,
        "completion": sample.completion,
    });
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{program}`: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped");
    let payload = input.to_string();
    // Written from a thread: a program that does not read its input must not block us.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(payload.as_bytes());
    });
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let timeout = Duration::from_secs_f64(grader.spec.timeout_s.unwrap_or(10.0));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("`{program}` did not finish within {:.1} s and was killed", timeout.as_secs_f64()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for `{program}`: {e}")),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        return Err(format!("`{program}` failed ({status}): {}", crate::report::table::clip(err.trim(), 120)));
    }
    let value: Value = serde_json::from_str(out.trim())
        .map_err(|e| format!("`{program}` wrote no JSON ({e}): {}", crate::report::table::clip(out.trim(), 80)))?;
    let (score, reason) = match &value {
        Value::Number(n) => (n.as_f64().unwrap_or(0.0), String::new()),
        Value::Object(o) => {
            let score = match (o.get("score").and_then(Value::as_f64), o.get("pass").and_then(Value::as_bool)) {
                (Some(s), _) => s,
                (None, Some(p)) => f64::from(u8::from(p)),
                (None, None) => return Err(format!("`{program}` wrote no `score`")),
            };
            (score, o.get("reason").and_then(Value::as_str).unwrap_or_default().to_owned())
        }
        _ => return Err(format!("`{program}` wrote neither a number nor an object")),
    };
    Ok((score, if reason.is_empty() { format!("`{program}` scored {score:.3}") } else { reason }))
}
