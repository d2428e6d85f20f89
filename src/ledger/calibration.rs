//! Calibrations on the ledger: each `llmops calibrate` is a commit on
//! `refs/llmops/calibrations/<eval>` holding `calibration.yaml` (the judges' agreement with
//! people, pinning each judge's prompt version and model) and the labels it read.

use gix::ObjectId;
use serde::{Deserialize, Serialize};

use super::{LedgerError, Pin, git, signature, write_blob};
use crate::run::agreement::Agreement;

pub const PREFIX: &str = "refs/llmops/calibrations/";

/// One calibration of an eval's judges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationMeta {
    pub eval: String,
    /// The labels file and its blob.
    pub labels: Pin,
    pub graders: Vec<GraderCalibration>,
    /// Agreement between people, where several labelled the same samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<PeopleAgreement>,
    pub time: i64,
    pub llmops_version: String,
}

/// How far one judge grader agrees with people's labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraderCalibration {
    /// The grader's dimension.
    pub grader: String,
    /// The judge prompt's reference and blob.
    pub judge_prompt: Pin,
    /// The judge model's config entry (`name`) and identity (`blob`: its model id).
    pub judge_model: Pin,
    /// Labels of the eval.
    pub labels: usize,
    /// Of those, the labels whose output this judge version graded (in a run on the ledger).
    pub matched: usize,
    /// The judge's pass/fail against the labels' (a score label passes at the grader's
    /// threshold on the judge's scale).
    pub pass_fail: Agreement,
    /// The judge's scores against the score labels, on the judge's scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<Agreement>,
    pub disagreements: Vec<Disagreement>,
}

/// A sample where a person and the judge disagree on pass/fail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disagreement {
    pub id: String,
    pub repeat: u32,
    pub reviewer: String,
    pub label: String,
    pub judge: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Agreement between reviewers on the samples several of them labelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeopleAgreement {
    pub reviewers: Vec<String>,
    /// Samples labelled by two or more reviewers.
    pub units: usize,
    /// Krippendorff's alpha of their pass/fail (nominal).
    pub alpha_pass_fail: Option<f64>,
    /// Krippendorff's alpha of their scores (interval), where they gave scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha_scores: Option<f64>,
    /// Cohen's kappa of each pair of reviewers' pass/fail, over the samples both labelled.
    pub pairs: Vec<ReviewerPair>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewerPair {
    pub a: String,
    pub b: String,
    pub items: usize,
    pub agreement: Agreement,
}

pub fn ref_name(eval: &str) -> String {
    format!("{PREFIX}{eval}")
}

/// Records `meta` and the labels file it read as a new commit on the eval's calibrations ref.
pub fn record(repo_dir: &std::path::Path, meta: &CalibrationMeta, labels_jsonl: &[u8]) -> Result<ObjectId, LedgerError> {
    let yaml = serde_yaml_ng::to_string(meta).map_err(git)?;
    let reference = ref_name(&meta.eval);
    let msg = format!(
        "calibrate {}: {}\n\nLlmops-Eval: {}\n",
        meta.eval,
        meta.graders.iter().map(|g| format!("{} kappa {}", g.grader, g.pass_fail.kappa.value.map(|k| format!("{k:.3}")).unwrap_or_else(|| "undefined".into()))).collect::<Vec<_>>().join(", "),
        meta.eval
    );
    for _ in 0..50 {
        let repo = gix::open(repo_dir).map_err(git)?;
        let parent = repo.try_find_reference(reference.as_str()).map_err(git)?.and_then(|mut r| r.peel_to_id().ok()).map(|id| id.detach());
        let yaml_blob = write_blob(&repo, yaml.as_bytes())?;
        let labels_blob = write_blob(&repo, labels_jsonl)?;
        let mut editor = repo.edit_tree(ObjectId::empty_tree(gix::hash::Kind::Sha1)).map_err(git)?;
        editor.upsert("calibration.yaml", gix::object::tree::EntryKind::Blob, yaml_blob).map_err(git)?;
        editor.upsert("labels.jsonl", gix::object::tree::EntryKind::Blob, labels_blob).map_err(git)?;
        let tree = editor.write().map_err(git)?.detach();
        let (name, email) = signature(&repo);
        let time = gix::date::Time::now_local_or_utc().format(gix::date::time::format::RAW).map_err(git)?;
        let sig = gix::actor::SignatureRef { name: name.as_str().into(), email: email.as_str().into(), time: time.as_str() };
        // Compare-and-swap on the parent: a calibration that lands first is built upon.
        match repo.commit_as(sig, sig, reference.as_str(), msg.as_str(), tree, parent) {
            Ok(id) => return Ok(id.detach()),
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
        }
    }
    Err(LedgerError::Contended(meta.eval.clone()))
}
