//! `.llmops/releases.yaml`, the promotion lockfile: per prompt and channel, the released
//! version (a blob id), the runs that justified it and when; optionally a canary with its
//! traffic share.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub const RELEASES_PATH: &str = ".llmops/releases.yaml";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Releases {
    /// prompt name → channel → release
    #[serde(default)]
    pub prompts: BTreeMap<String, BTreeMap<String, Channel>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    #[serde(flatten)]
    pub stable: Release,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canary: Option<Canary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Release {
    /// The prompt's blob id.
    pub version: String,
    /// eval name → the run id that passed its gate.
    pub runs: BTreeMap<String, String>,
    /// Seconds since the epoch.
    pub released: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Canary {
    #[serde(flatten)]
    pub release: Release,
    /// Percent of keys routed to the canary.
    pub share: f64,
}

impl Releases {
    /// Reads the lockfile. Only a file that does not exist is an empty one: any other failure
    /// (not UTF-8, a folder, no permission, a symbolic link) is an error, never "no releases",
    /// which would pass the gate and let `promote` drop every other release.
    pub fn read(root: &Path) -> Result<Releases, crate::diagnostic::Diagnostic> {
        use crate::diagnostic::Diagnostic;
        let unreadable = |detail: String| {
            Diagnostic::new(RELEASES_PATH, format!("the releases lockfile cannot be read: {detail}"))
                .with_hint("restore it from git (`git checkout -- .llmops/releases.yaml`) or fix it by hand; llmops never treats an unreadable lockfile as empty")
        };
        let bytes = match crate::workspace::files::read_if_exists(root, RELEASES_PATH) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(Releases::default()),
            Err(e) => return Err(unreadable(e.to_string())),
        };
        let text = String::from_utf8(bytes).map_err(|e| unreadable(format!("not UTF-8 text ({e})")))?;
        if text.trim().is_empty() {
            return Ok(Releases::default());
        }
        crate::spec::parse_yaml(Path::new(RELEASES_PATH), &text)
    }

    pub fn write(&self, root: &Path) -> std::io::Result<()> {
        let mut text = String::from("# Written by `llmops promote`: released prompt versions and the runs that justified them.\n");
        text.push_str(&serde_yaml_ng::to_string(self).map_err(std::io::Error::other)?);
        crate::atomic_write::write_atomic(&root.join(RELEASES_PATH), text.as_bytes())
    }

    pub fn channel(&self, prompt: &str, channel: &str) -> Option<&Channel> {
        self.prompts.get(prompt)?.get(channel)
    }

    /// Puts `release` on `channel` of `prompt`: as its stable version (which drops any canary),
    /// or, with a `canary` share, as the canary beside the stable version, which must exist.
    /// Nothing changes when it is refused.
    pub fn promote(&mut self, prompt: &str, channel: &str, release: Release, canary: Option<f64>) -> Result<(), NoStableRelease> {
        match canary {
            Some(share) => match self.prompts.get_mut(prompt).and_then(|c| c.get_mut(channel)) {
                Some(existing) => existing.canary = Some(Canary { release, share }),
                None => return Err(NoStableRelease { prompt: prompt.to_owned(), channel: channel.to_owned() }),
            },
            None => {
                self.prompts.entry(prompt.to_owned()).or_default().insert(channel.to_owned(), Channel { stable: release, canary: None });
            }
        }
        Ok(())
    }
}

/// A canary was asked for on a channel with no stable release to run beside.
#[derive(Debug, thiserror::Error)]
#[error("`{prompt}` has no release on `{channel}` yet: a canary needs a stable version beside it")]
pub struct NoStableRelease {
    pub prompt: String,
    pub channel: String,
}

/// `NAME@CHANNEL` as the version that channel holds (`NAME@<blob>`); any other reference as
/// it is. A lockfile that cannot be read is an error: never a silent fall-back to a git
/// revision that happens to share the channel's name.
pub fn resolve_channel(root: &Path, reference: &str) -> Result<String, crate::workspace::WorkspaceError> {
    let Some((name, spec)) = reference.split_once('@') else { return Ok(reference.to_owned()) };
    let releases = Releases::read(root).map_err(|d| crate::workspace::WorkspaceError::Invalid(vec![d]))?;
    Ok(match releases.channel(name, spec) {
        Some(channel) => format!("{name}@{}", channel.stable.version),
        None => reference.to_owned(),
    })
}

/// Loads the prompt `NAME`, `NAME@REF` or `NAME@CHANNEL` (the version a release channel holds,
/// from `.llmops/releases.yaml`).
pub fn load_prompt(ws: &crate::workspace::Workspace, reference: &str) -> Result<(crate::workspace::Source, crate::spec::prompt::Prompt), crate::workspace::WorkspaceError> {
    ws.load_prompt(&resolve_channel(&ws.root, reference)?)
}

/// The judge prompt of one `judge` grader, as its reference (`NAME` or `NAME@CHANNEL`) names it.
#[derive(Debug, Clone)]
pub struct Judge {
    /// The grader's index in the eval's `graders:`.
    pub grader: usize,
    pub reference: String,
    pub source: crate::workspace::Source,
    pub prompt: crate::spec::prompt::Prompt,
}

/// Loads the judge prompts of an eval's `judge` graders, in grader order: the one rule that
/// evaluation (what a run pins) and promotion (what a run must pin) share. The error names
/// the grader's index.
pub fn load_judges(ws: &crate::workspace::Workspace, spec: &crate::spec::eval::EvalSpec) -> Result<Vec<Judge>, (usize, crate::workspace::WorkspaceError)> {
    let mut judges = Vec::new();
    for (grader, g) in spec.graders.iter().enumerate() {
        if g.kind != crate::spec::eval::GraderKind::Judge {
            continue;
        }
        let reference = g.prompt.clone().unwrap_or_default();
        let (source, prompt) = load_prompt(ws, &reference).map_err(|e| (grader, e))?;
        judges.push(Judge { grader, reference, source, prompt });
    }
    Ok(judges)
}

/// Which version a key gets on a channel: the canary for about `share` percent of keys, the
/// same answer for the same key every time (FNV-1a of prompt and key).
pub fn resolve<'c>(channel: &'c Channel, prompt: &str, key: &str) -> &'c Release {
    match &channel.canary {
        Some(canary) => {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in prompt.bytes().chain([0u8]).chain(key.bytes()) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            let bucket = (h % 10_000) as f64 / 100.0;
            if bucket < canary.share { &canary.release } else { &channel.stable }
        }
        None => &channel.stable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(v: &str) -> Release {
        Release { version: v.into(), runs: BTreeMap::new(), released: 0 }
    }

    #[test]
    fn canary_share_is_respected_and_sticky() {
        let channel = Channel { stable: release("a"), canary: Some(Canary { release: release("b"), share: 10.0 }) };
        let canary = (0..10_000).filter(|k| resolve(&channel, "p", &format!("user-{k}")).version == "b").count();
        assert!((900..=1100).contains(&canary), "{canary}");
        for k in 0..100 {
            let key = format!("user-{k}");
            assert_eq!(resolve(&channel, "p", &key).version, resolve(&channel, "p", &key).version);
        }
    }

    #[test]
    fn promotion_sets_stable_versions_and_canaries_beside_them() {
        let mut r = Releases::default();
        let err = r.promote("capital", "production", release("b"), Some(10.0)).unwrap_err();
        assert_eq!(err.to_string(), "`capital` has no release on `production` yet: a canary needs a stable version beside it");
        assert_eq!(r, Releases::default(), "a refused canary changes nothing");
        r.promote("capital", "production", release("a"), None).unwrap();
        r.promote("capital", "production", release("b"), Some(10.0)).unwrap();
        let channel = r.channel("capital", "production").unwrap();
        assert_eq!((channel.stable.version.as_str(), channel.canary.as_ref().map(|c| (c.release.version.as_str(), c.share))), ("a", Some(("b", 10.0))));
        r.promote("capital", "production", release("c"), None).unwrap();
        let channel = r.channel("capital", "production").unwrap();
        assert_eq!((channel.stable.version.as_str(), channel.canary.is_none()), ("c", true), "a new stable release drops the canary");
        assert!(r.channel("capital", "staging").is_none());
    }

    #[test]
    fn round_trips_through_yaml() {
        let mut r = Releases::default();
        r.prompts.entry("capital".into()).or_default().insert(
            "production".into(),
            Channel { stable: release("abc"), canary: Some(Canary { release: release("def"), share: 5.0 }) },
        );
        let text = serde_yaml_ng::to_string(&r).unwrap();
        assert_eq!(serde_yaml_ng::from_str::<Releases>(&text).unwrap(), r);
    }
}
