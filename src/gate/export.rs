//! The gate's answer in the forms CI systems read: JUnit XML (one test case per prompt version
//! and eval) and a Markdown summary (for `$GITHUB_STEP_SUMMARY`).

use std::fmt::Write;

use super::promotion::Status;
use super::review::{Review, Role};

/// JUnit XML: a suite for the releases and one for the changed prompts; a blocking miss is a
/// `<failure>`, a miss the policy only warns about is a passing case with its reason in
/// `<system-out>`.
pub fn junit(review: &Review) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let failures = review.findings.iter().filter(|f| f.blocking).count();
    let _ = writeln!(out, "<testsuites name=\"llmops gate\" tests=\"{}\" failures=\"{failures}\">", review.findings.len());
    for (suite, roles) in [("releases", &[Role::Release, Role::Canary][..]), ("changed prompts", &[Role::Changed][..]), ("policy", &[Role::Policy][..])] {
        let cases: Vec<_> = review.findings.iter().filter(|f| roles.contains(&f.role)).collect();
        if cases.is_empty() && roles == [Role::Policy] {
            continue;
        }
        let failed = cases.iter().filter(|f| f.blocking).count();
        let _ = writeln!(out, "  <testsuite name=\"{suite}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\">", cases.len());
        for f in cases {
            let name = format!("{} / {}", f.subject(), f.eval.as_deref().unwrap_or("-"));
            let _ = write!(out, "    <testcase classname=\"llmops.gate\" name=\"{}\"", xml(&name));
            let detail = match &f.fix {
                Some(fix) => format!("{}\nnext: {fix}", f.reason),
                None => f.reason.clone(),
            };
            if f.blocking {
                let _ = writeln!(out, ">");
                let _ = writeln!(out, "      <failure type=\"{}\" message=\"{}\">{}</failure>", f.status.label(), xml(&f.reason), xml(&detail));
                let _ = writeln!(out, "    </testcase>");
            } else if f.status != Status::Pass {
                let _ = writeln!(out, ">");
                let _ = writeln!(out, "      <system-out>{}: {}</system-out>", f.status.label(), xml(&detail));
                let _ = writeln!(out, "    </testcase>");
            } else {
                let _ = writeln!(out, "/>");
            }
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    out.push_str("</testsuites>\n");
    out
}

/// A Markdown report: the verdict, a table, and what to run next.
pub fn markdown(review: &Review, scope: &str) -> String {
    let mut out = String::new();
    let blocking = review.findings.iter().filter(|f| f.blocking).count();
    if review.pass {
        let _ = writeln!(out, "## ✅ llmops gate passed\n");
    } else {
        let _ = writeln!(out, "## ❌ llmops gate failed: {blocking} of {} checks\n", review.findings.len());
    }
    let _ = writeln!(out, "Checked every release in `.llmops/releases.yaml` and the prompts in {scope}.\n");
    if review.findings.is_empty() {
        out.push_str("Nothing to check: no releases and no changed prompts.\n");
        return out;
    }
    out.push_str("| prompt | version | eval | status | run | reason |\n|---|---|---|---|---|---|\n");
    for f in &review.findings {
        let status = match (f.status, f.blocking) {
            (Status::Pass, _) => "✅ pass".to_owned(),
            (s, true) => format!("❌ {}", s.label()),
            (s, false) => format!("⚠️ {}", s.label()),
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {status} | {} | {} |",
            cell(&f.subject()),
            crate::version::short_str(&f.version),
            cell(f.eval.as_deref().unwrap_or("-")),
            f.run.as_deref().map(|r| format!("`{}`", crate::version::short_str(r))).unwrap_or_else(|| "-".into()),
            cell(&f.reason),
        );
    }
    let mut fixes: Vec<&str> = review.findings.iter().filter(|f| f.status != Status::Pass).filter_map(|f| f.fix.as_deref()).collect();
    fixes.dedup();
    if !fixes.is_empty() {
        out.push_str("\n**What to run next**\n\n");
        for fix in fixes {
            let _ = writeln!(out, "- {}", cell(fix));
        }
    }
    out
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::review::Finding;

    fn finding(status: Status, blocking: bool) -> Finding {
        Finding {
            prompt: "capital".into(),
            role: Role::Changed,
            channel: None,
            version: "0123456789abcdef0123456789abcdef01234567".into(),
            eval: Some("capital".into()),
            status,
            run: None,
            reason: "score 0.2 < 0.6 & \"worse\" | <b>".into(),
            fix: Some("run `llmops eval capital`".into()),
            blocking,
            remedy: None,
        }
    }

    #[test]
    fn junit_counts_blocking_findings_and_escapes_text() {
        let review = Review { pass: false, changed: vec![], findings: vec![finding(Status::Failed, true), finding(Status::Pass, false)] };
        let x = junit(&review);
        assert!(x.contains("<testsuites name=\"llmops gate\" tests=\"2\" failures=\"1\">"), "{x}");
        assert!(x.contains("message=\"score 0.2 &lt; 0.6 &amp; &quot;worse&quot; | &lt;b&gt;\""), "{x}");
        assert!(!x.contains("<b>"), "{x}");
    }

    #[test]
    fn markdown_escapes_table_cells_and_lists_fixes() {
        let review = Review { pass: false, changed: vec![], findings: vec![finding(Status::Missing, true)] };
        let md = markdown(&review, "the staged changes");
        assert!(md.contains("\\| <b>"), "{md}");
        assert!(md.contains("- run `llmops eval capital`"), "{md}");
        assert!(md.starts_with("## ❌ llmops gate failed: 1 of 1 checks"), "{md}");
    }
}
