//! The `command` grader: an external program reads the sample as JSON on stdin and writes
//! `{"score": 0.8, "pass": true, "reason": "…"}` (or a bare number) on stdout. It runs only
//! when the command line says `--allow-exec` (an eval file can only declare the need), with
//! an empty environment except `PATH`, `HOME`, `LANG` and the names the grader lists, in a
//! process group of its own that is killed whole when it outlives its timeout, and with its
//! output read up to a bound.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{Grader, Sample};

/// Variables every command grader gets, when set.
const BASE_ENV: [&str; 3] = ["PATH", "HOME", "LANG"];
/// Most bytes read from a grader's stdout; more is an error.
const MAX_STDOUT: u64 = 1 << 20;
/// Most bytes of stderr kept for the error message.
const MAX_STDERR: u64 = 16 << 10;

pub(super) fn run(grader: &Grader, sample: &Sample<'_>, allow_exec: bool) -> Result<(f64, String), String> {
    if !allow_exec {
        return Err("`command` graders run only with `--allow-exec` on the command line".into());
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
    let timeout = Duration::from_secs_f64(grader.spec.timeout_s.filter(|t| crate::spec::config::valid_timeout(*t)).unwrap_or(10.0));
    let out = run_program(program, args, grader.spec.env.as_deref().unwrap_or_default(), &input.to_string(), timeout)?;
    let value: Value = serde_json::from_str(out.trim())
        .map_err(|e| format!("`{program}` wrote no JSON ({e}): {}", crate::text::clip(out.trim(), 80)))?;
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

/// Runs `program args…` with `input` on its stdin, an environment of `PATH`, `HOME`, `LANG`
/// and the variables `env` names, in a process group of its own killed whole after
/// `timeout`; its stdout (up to a bound) when it succeeds.
pub fn run_program(program: &str, args: &[String], env: &[String], input: &str, timeout: Duration) -> Result<String, String> {
    let mut command = Command::new(program);
    command.args(args).env_clear().stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0);
    for name in BASE_ENV.iter().copied().chain(env.iter().map(String::as_str)) {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    let mut child = command.spawn().map_err(|e| format!("cannot run `{program}`: {e}"))?;
    let group = child.id() as libc::pid_t;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let payload = input.to_owned();
    // Written from a thread: a program that does not read its input must not block us.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(payload.as_bytes());
    });
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let (out_tx, out_rx) = std::sync::mpsc::channel();
    let (err_tx, err_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || out_tx.send(read_bounded(stdout, MAX_STDOUT)));
    std::thread::spawn(move || err_tx.send(read_bounded(stderr, MAX_STDERR)));
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                kill_group(group);
                let _ = child.wait();
                return Err(format!("`{program}` did not finish within {:.1} s and was killed", timeout.as_secs_f64()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                kill_group(group);
                return Err(format!("waiting for `{program}`: {e}"));
            }
        }
    };
    // The program is gone; anything it left running in its group goes with it, so the
    // readers see the pipes close. A descendant that left the group (`setsid`) and holds a
    // pipe open is not waited for: what was read within a second counts.
    kill_group(group);
    drop(writer);
    let grace = Duration::from_secs(1);
    let Ok((out, out_truncated)) = out_rx.recv_timeout(grace) else {
        return Err(format!("`{program}` exited, but a process it started still holds its output open"));
    };
    let (err, _) = err_rx.recv_timeout(grace).unwrap_or_default();
    if !status.success() {
        return Err(format!("`{program}` failed ({status}): {}", crate::text::clip(String::from_utf8_lossy(&err).trim(), 120)));
    }
    if out_truncated {
        return Err(format!("`{program}` wrote more than {} KiB to stdout", MAX_STDOUT >> 10));
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Reads up to `limit` bytes, then drains (and drops) the rest so the writer never blocks;
/// whether anything was dropped.
fn read_bounded(mut from: impl Read, limit: u64) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    let _ = (&mut from).take(limit).read_to_end(&mut kept);
    let dropped = std::io::copy(&mut from, &mut std::io::sink()).unwrap_or(0);
    (kept, dropped > 0)
}

fn kill_group(group: libc::pid_t) {
    // SAFETY: `kill` with a negative pid signals the process group we created for the child;
    // it has no memory-safety preconditions.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
}
