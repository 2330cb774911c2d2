//! The check the worker runs on a file before the app may import it: the
//! same import the app will run, but into a throw-away copy of the
//! portfolio. The document layer does the checks (size, bounded unpacking,
//! header, schema and size limits of the merged result); running them here
//! means a file that crashes Automerge or exhausts memory takes only the
//! worker down. Plain Rust, so it is tested natively too.

use crate::doc::exchange::{FileKind, MAX_FILE_BYTES};
use crate::doc::{DocError, ImportCheck, PortfolioDoc};

/// The file may be imported; what the check saw.
#[derive(Clone, Debug, PartialEq)]
pub struct Accepted {
    pub kind: FileKind,
    /// Changes the file brings that the portfolio lacks (all of them when
    /// the file becomes this browser's portfolio).
    pub new_changes: usize,
    /// For a merge: what the check concluded, for the app's own import to
    /// reuse (`PortfolioDoc::import_checked`).
    pub check: Option<ImportCheck>,
}

/// The file must not be imported: one sentence for the person, the
/// precise reason for the console.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub message: String,
    pub detail: String,
}

impl Refusal {
    pub fn new(message: impl Into<String>, detail: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            detail: detail.into(),
        }
    }
}

impl From<DocError> for Refusal {
    fn from(e: DocError) -> Refusal {
        Refusal::new(e.user_message(), e.to_string())
    }
}

/// Checks `file` against the portfolio saved as `current` (none: the file
/// would become this browser's portfolio). `actor_hex` is this device's
/// actor, used for the copy only.
pub fn validate(file: &[u8], current: Option<&[u8]>, actor_hex: &str) -> Result<Accepted, Refusal> {
    // Before anything parses it: a huge file costs memory just to copy.
    if file.len() > MAX_FILE_BYTES {
        return Err(DocError::TooLarge {
            size: file.len(),
            limit: MAX_FILE_BYTES,
        }
        .into());
    }
    match current {
        None => {
            let (mut doc, info) = PortfolioDoc::open_file(file, actor_hex)?;
            Ok(Accepted {
                kind: info.kind,
                new_changes: doc.history().len(),
                check: None,
            })
        }
        Some(current) => {
            let mut copy = PortfolioDoc::load(current, actor_hex).map_err(|e| {
                Refusal::new(
                    "Your portfolio could not be prepared for the import; reload the page and try again.",
                    format!("the current portfolio did not load in the worker: {e}"),
                )
            })?;
            let report = copy.import(file)?;
            Ok(Accepted {
                kind: report.info.kind,
                new_changes: report.outcome.new_changes,
                check: Some(report.check()),
            })
        }
    }
}

/// How the warm worker's copy catches up with the app before a check.
pub enum Update<'a> {
    /// The app's portfolio saved whole: replaces the copy.
    Full(&'a [u8]),
    /// The changes the app made after the copy's version.
    Since(&'a [u8]),
}

/// The result of a check by the warm worker.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    Accepted(Accepted),
    Refused(Refusal),
    /// The copy is not at the app's version: send it whole and ask again.
    Stale,
}

/// The warm worker's copy of the app's portfolio. A check imports the file
/// into it, so after an accepted file (which the app then imports too) it
/// is at the app's new version; a refused file leaves it as it was.
#[derive(Default)]
pub struct Copy {
    doc: Option<PortfolioDoc>,
}

impl Copy {
    /// Replaces the copy with the app's portfolio saved whole.
    pub fn load(&mut self, current: &[u8], actor_hex: &str) -> Result<(), Refusal> {
        self.doc = None;
        let doc = PortfolioDoc::load(current, actor_hex).map_err(|e| {
            Refusal::new(
                "Your portfolio could not be prepared for the import; reload the page and try again.",
                format!("the current portfolio did not load in the worker: {e}"),
            )
        })?;
        self.doc = Some(doc);
        Ok(())
    }

    /// The copy's version (change hashes, sorted), if it has one.
    pub fn version(&mut self) -> Option<Vec<String>> {
        self.doc
            .as_mut()
            .map(|doc| sorted(doc.version().to_strings()))
    }

    /// Brings the copy to `expected` with `update`, then checks `file`
    /// against it. `on_merged` runs once the file is merged into the copy
    /// and before it is validated: from then on the app may merge it too.
    pub fn check(
        &mut self,
        file: &[u8],
        update: Option<Update<'_>>,
        expected: &[String],
        actor_hex: &str,
        on_merged: impl FnOnce(),
    ) -> Verdict {
        if file.len() > MAX_FILE_BYTES {
            return Verdict::Refused(
                DocError::TooLarge {
                    size: file.len(),
                    limit: MAX_FILE_BYTES,
                }
                .into(),
            );
        }
        match update {
            Some(Update::Full(current)) => {
                if let Err(refusal) = self.load(current, actor_hex) {
                    return Verdict::Refused(refusal);
                }
            }
            Some(Update::Since(changes)) => {
                let applied = self.doc.as_mut().map(|doc| doc.apply_changes(changes));
                if !matches!(applied, Some(Ok(_))) {
                    self.doc = None;
                    return Verdict::Stale;
                }
            }
            None => {}
        }
        if self.version() != Some(sorted(expected.to_vec())) {
            return Verdict::Stale;
        }
        let Some(doc) = self.doc.as_mut() else {
            return Verdict::Stale;
        };
        match doc.import_reporting(file, on_merged) {
            Ok(report) => Verdict::Accepted(Accepted {
                kind: report.info.kind,
                new_changes: report.outcome.new_changes,
                check: Some(report.check()),
            }),
            Err(e) => Verdict::Refused(e.into()),
        }
    }
}

fn sorted(mut hashes: Vec<String>) -> Vec<String> {
    hashes.sort();
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Command, Entity, Project};

    const ADA: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const BEN: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn with_project(doc: &mut PortfolioDoc, id: &str, author: &str) {
        let p = Project::named(id, id);
        doc.apply(&Command::new("Add", vec![p.create_op()]), author, 1)
            .unwrap();
    }

    #[test]
    fn a_colleagues_packet_passes_and_counts_its_changes() {
        let mut ada = PortfolioDoc::create("Acme", ADA, "Ada", 0).unwrap();
        let (mut ben, _) = PortfolioDoc::open_file(&ada.export_full(), BEN).unwrap();
        let since = ben.version();
        with_project(&mut ben, "p1", "Ben");
        with_project(&mut ben, "p2", "Ben");
        let packet = ben.export_packet(&since, "Ben").unwrap();
        let current = ada.save();
        let accepted = validate(&packet, Some(&current), crate::worker::CHECK_ACTOR).unwrap();
        assert_eq!(accepted.kind, FileKind::Packet);
        assert_eq!(accepted.new_changes, 2);
        // The check worked on a copy.
        assert!(ada.snapshot().projects.is_empty());
    }

    #[test]
    fn a_full_file_opens_as_a_new_portfolio() {
        let mut ada = PortfolioDoc::create("Acme", ADA, "Ada", 0).unwrap();
        with_project(&mut ada, "p1", "Ada");
        let accepted = validate(&ada.export_full(), None, crate::worker::CHECK_ACTOR).unwrap();
        assert_eq!(accepted.kind, FileKind::Full);
        assert_eq!(accepted.new_changes, 2);
    }

    #[test]
    fn refusals_carry_one_sentence_and_a_reason() {
        let mut ada = PortfolioDoc::create("Acme", ADA, "Ada", 0).unwrap();
        let current = ada.save();
        let mut zed = PortfolioDoc::create("Zed", BEN, "Zed", 0).unwrap();
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (Vec::new(), "That file is empty."),
            (
                b"PK\x03\x04 not a portfolio".to_vec(),
                "not a PMO Desk portfolio",
            ),
            (
                zed.export_full(),
                "belongs to the portfolio \u{201c}Zed\u{201d}",
            ),
        ];
        for (bytes, expected) in cases {
            let refusal = validate(&bytes, Some(&current), crate::worker::CHECK_ACTOR).unwrap_err();
            assert!(refusal.message.contains(expected), "{refusal:?}");
            assert!(!refusal.detail.is_empty());
        }
    }

    #[test]
    fn an_oversized_file_is_refused_before_it_is_read() {
        let mut huge = vec![0u8; MAX_FILE_BYTES + 1];
        huge[..4].copy_from_slice(&crate::doc::layout::AUTOMERGE_MAGIC);
        let refusal = validate(&huge, None, crate::worker::CHECK_ACTOR).unwrap_err();
        assert!(refusal.message.contains("too large"), "{refusal:?}");
    }

    #[test]
    fn a_broken_current_portfolio_is_not_blamed_on_the_file() {
        let mut ada = PortfolioDoc::create("Acme", ADA, "Ada", 0).unwrap();
        let file = ada.export_full();
        let refusal = validate(&file, Some(b"junk"), crate::worker::CHECK_ACTOR).unwrap_err();
        assert!(
            refusal
                .message
                .starts_with("Your portfolio could not be prepared"),
            "{refusal:?}"
        );
    }

    #[test]
    fn the_warm_copy_follows_the_app_and_survives_refusals() {
        let mut ada = PortfolioDoc::create("Acme", ADA, "Ada", 0).unwrap();
        let (mut ben, _) = PortfolioDoc::open_file(&ada.export_full(), BEN).unwrap();
        let actor = crate::worker::CHECK_ACTOR;
        let mut copy = Copy::default();
        let v = |doc: &mut PortfolioDoc| doc.version().to_strings();

        // No copy yet: stale until the app sends its portfolio whole.
        let since = ben.version();
        with_project(&mut ben, "b1", "Ben");
        let packet = ben.export_packet(&since, "Ben").unwrap();
        assert_eq!(
            copy.check(&packet, None, &v(&mut ada), actor, || {}),
            Verdict::Stale
        );
        let saved = ada.save();
        let merged = std::cell::Cell::new(false);
        let verdict = copy.check(
            &packet,
            Some(Update::Full(&saved)),
            &v(&mut ada),
            actor,
            || merged.set(true),
        );
        assert!(matches!(
            verdict,
            Verdict::Accepted(Accepted { new_changes: 1, .. })
        ));
        assert!(merged.get(), "the app was not told the file merged");
        ada.import(&packet).unwrap();
        assert_eq!(copy.version(), Some(sorted(v(&mut ada))));

        // Ada edits: only her new changes travel to the copy.
        let mark = ada.version();
        with_project(&mut ada, "a1", "Ada");
        let changes = ada.save_after(&mark);
        let zed = PortfolioDoc::create("Zed", BEN, "Zed", 0)
            .unwrap()
            .export_full();
        let verdict = copy.check(
            &zed,
            Some(Update::Since(&changes)),
            &v(&mut ada),
            actor,
            || panic!("a file of another portfolio was merged"),
        );
        assert!(matches!(verdict, Verdict::Refused(_)), "{verdict:?}");
        // The refusal left the copy at Ada's version.
        assert_eq!(copy.version(), Some(sorted(v(&mut ada))));

        // A copy that missed changes is stale, never checked against.
        with_project(&mut ada, "a2", "Ada");
        assert_eq!(
            copy.check(&packet, None, &v(&mut ada), actor, || {}),
            Verdict::Stale
        );
    }
}
