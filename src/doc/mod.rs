//! The portfolio document: the only module that talks to Automerge.
//!
//! It owns creating a portfolio, applying a domain [`Command`] as one named
//! change, saving (full and since a version), loading with validation,
//! merging another copy, reading snapshots (now or at a past version) and
//! listing history. Everything that comes from outside enters through
//! [`PortfolioDoc::load`] or [`PortfolioDoc::merge`], which validate first.

mod envelope;
mod error;
pub mod exchange;
mod guard;
mod history;
pub mod layout;
mod read;
pub mod review;
mod snapshot;
mod validate;
mod write;

pub use error::DocError;
pub use exchange::{FileInfo, FileKind, ImportCheck, ImportReport, PreparedImport, MAX_FILE_BYTES};
pub use history::HistoryEntry;
pub use review::{
    ChangeKind, Conflict, ConflictValue, DeletedWhileEdited, EntityChange, FieldDiff, Review,
};

use crate::domain::{new_id, Command, Portfolio};
use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ChangeHash, ObjType, ReadDoc, ROOT};
use layout::*;
use read::Reader;
use serde_json::{Map, Value};

/// A document version: the set of change hashes at its heads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Version(Vec<ChangeHash>);

impl Version {
    pub fn to_strings(&self) -> Vec<String> {
        self.0.iter().map(|h| h.to_string()).collect()
    }

    pub fn parse<S: AsRef<str>>(hashes: &[S]) -> Result<Version, DocError> {
        hashes
            .iter()
            .map(|s| {
                s.as_ref()
                    .parse::<ChangeHash>()
                    .map_err(|_| DocError::InvalidVersion(s.as_ref().to_string()))
            })
            .collect::<Result<_, _>>()
            .map(Version)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What a merge brought in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MergeOutcome {
    pub before: Version,
    pub after: Version,
    /// Changes this copy did not have before.
    pub new_changes: usize,
}

pub struct PortfolioDoc {
    doc: AutoCommit,
}

impl PortfolioDoc {
    /// A new, empty portfolio with a fresh id, written as the first change.
    pub fn create(
        name: &str,
        actor_hex: &str,
        author: &str,
        now_secs: i64,
    ) -> Result<PortfolioDoc, DocError> {
        let mut doc = AutoCommit::new().with_actor(parse_actor(actor_hex)?);
        doc.put(ROOT, KEY_FORMAT, FORMAT)?;
        doc.put(ROOT, KEY_SCHEMA, SCHEMA_VERSION)?;
        doc.put(ROOT, KEY_PORTFOLIO_ID, new_id())?;
        doc.put(ROOT, KEY_NAME, name.trim())?;
        doc.put(ROOT, KEY_CREATED_AT, now_secs)?;
        // Containers every peer writes into are created exactly once, here,
        // so two peers can never create competing copies of them.
        let settings = doc.put_object(ROOT, KEY_SETTINGS, ObjType::Map)?;
        write::write_fields(
            &mut doc,
            &settings,
            &crate::domain::Settings::default().to_map(),
        )?;
        let actors = doc.put_object(ROOT, KEY_ACTORS, ObjType::Map)?;
        doc.put(&actors, actor_hex, author.trim())?;
        for collection in INITIAL_COLLECTIONS {
            doc.put_object(ROOT, *collection, ObjType::Map)?;
        }
        doc.commit_with(
            CommitOptions::default()
                .with_message(format!("Create portfolio {}", name.trim()))
                .with_time(now_secs),
        );
        Ok(PortfolioDoc { doc })
    }

    /// Loads a saved portfolio (a full file or stored snapshot) and checks
    /// it is one this app can use. `actor_hex` is this device's actor.
    pub fn load(bytes: &[u8], actor_hex: &str) -> Result<PortfolioDoc, DocError> {
        let actor = parse_actor(actor_hex)?;
        let doc = load_automerge(bytes)?;
        let doc = PortfolioDoc {
            doc: doc.with_actor(actor),
        };
        doc.check_header()?;
        Ok(doc)
    }

    fn check_header(&self) -> Result<(), DocError> {
        let root_str = |key| match self.doc.get(ROOT, key) {
            Ok(Some((value, id))) => {
                let reader = Reader {
                    doc: &self.doc,
                    heads: None,
                };
                read::value_to_json(&reader, &value, &id)
                    .as_str()
                    .map(str::to_string)
            }
            _ => None,
        };
        if root_str(KEY_FORMAT).as_deref() != Some(FORMAT) {
            return Err(DocError::NotPortfolio);
        }
        if root_str(KEY_PORTFOLIO_ID).is_none_or(|id| id.is_empty()) {
            return Err(DocError::NotPortfolio);
        }
        let schema = match self.doc.get(ROOT, KEY_SCHEMA) {
            Ok(Some((value, id))) => {
                let reader = Reader {
                    doc: &self.doc,
                    heads: None,
                };
                read::value_to_json(&reader, &value, &id).as_u64()
            }
            _ => None,
        };
        match schema {
            Some(found) if found > SCHEMA_VERSION => Err(DocError::NewerSchema {
                found,
                supported: SCHEMA_VERSION,
            }),
            Some(_) => Ok(()),
            None => Err(DocError::NotPortfolio),
        }
    }

    pub fn actor_hex(&self) -> String {
        self.doc.get_actor().to_hex_string()
    }

    /// Applies one user action as one Automerge change carrying the
    /// author's name (recorded against this device's actor) and the time.
    /// On error nothing is changed.
    pub fn apply(
        &mut self,
        command: &Command,
        author: &str,
        now_secs: i64,
    ) -> Result<(), DocError> {
        let result = self.apply_ops(command, author);
        if let Err(e) = result {
            self.doc.rollback();
            return Err(e);
        }
        self.doc.commit_with(
            CommitOptions::default()
                .with_message(command.summary.clone())
                .with_time(now_secs),
        );
        Ok(())
    }

    fn apply_ops(&mut self, command: &Command, author: &str) -> Result<(), DocError> {
        self.record_author(author)?;
        for op in &command.ops {
            write::apply_op(&mut self.doc, op)?;
        }
        Ok(())
    }

    /// Names travel with the data: `actors[<this actor>] = <display name>`.
    fn record_author(&mut self, author: &str) -> Result<(), DocError> {
        let author = author.trim();
        let actor = self.actor_hex();
        let actors = match self.doc.get(ROOT, KEY_ACTORS)? {
            Some((automerge::Value::Object(ObjType::Map), id)) => id,
            // Only documents not made by this app lack the map; creating it
            // here is safe because the reader unions concurrent copies.
            _ => self.doc.put_object(ROOT, KEY_ACTORS, ObjType::Map)?,
        };
        let current = self
            .doc
            .get(&actors, actor.as_str())?
            .and_then(|(v, _)| v.into_string().ok());
        if current.as_deref() != Some(author) && !author.is_empty() {
            self.doc.put(&actors, actor.as_str(), author)?;
        }
        Ok(())
    }

    /// The whole portfolio as it is now.
    pub fn snapshot(&self) -> Portfolio {
        Portfolio::from_root(&self.root_json(None))
    }

    /// The portfolio as it was at `version` (read-only time travel).
    pub fn snapshot_at(&self, version: &Version) -> Portfolio {
        Portfolio::from_root(&self.root_json(Some(&version.0)))
    }

    /// The raw document root as JSON (for diagnostics and exports).
    pub fn root_json(&self, heads: Option<&[ChangeHash]>) -> Map<String, Value> {
        Reader {
            doc: &self.doc,
            heads,
        }
        .map(&ROOT)
    }

    pub fn version(&mut self) -> Version {
        Version(self.doc.get_heads())
    }

    /// The full document with all history.
    pub fn save(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    /// Only the changes made after `version` (e.g. for a storage record).
    pub fn save_after(&mut self, version: &Version) -> Vec<u8> {
        self.doc.save_after(&version.0)
    }

    /// Merges another copy of this portfolio (a full file). Refuses files
    /// of another portfolio or of a newer schema; on error nothing changes.
    pub fn merge(&mut self, bytes: &[u8]) -> Result<MergeOutcome, DocError> {
        let mut other = PortfolioDoc::load(bytes, &self.actor_hex())?;
        let (ours, theirs) = (self.portfolio_id(), other.portfolio_id());
        if ours != theirs {
            return Err(DocError::DifferentPortfolio {
                ours,
                ours_name: self.snapshot().name,
                theirs,
                theirs_name: other.snapshot().name,
            });
        }
        let before = self.version();
        let known = self.doc.get_changes_meta(&[]).len();
        self.doc.merge(&mut other.doc)?;
        let new_changes = self.doc.get_changes_meta(&[]).len() - known;
        Ok(MergeOutcome {
            before,
            after: self.version(),
            new_changes,
        })
    }

    /// Applies change records produced by [`Self::save_after`] of this same
    /// portfolio (stored records, other tabs). Records whose base is missing
    /// are refused and nothing is applied.
    pub fn apply_changes(&mut self, bytes: &[u8]) -> Result<usize, DocError> {
        if bytes.is_empty() {
            return Ok(0);
        }
        if !bytes.starts_with(&AUTOMERGE_MAGIC) {
            return Err(DocError::NotAutomerge);
        }
        let mut trial = self.doc.fork();
        let before = trial.get_changes_meta(&[]).len();
        trial
            .load_incremental(bytes)
            .map_err(|e| DocError::Corrupt(e.to_string()))?;
        let missing = trial.get_missing_deps(&[]);
        if !missing.is_empty() {
            return Err(DocError::MissingChanges {
                count: missing.len(),
                sender: String::new(),
            });
        }
        let added = trial.get_changes_meta(&[]).len() - before;
        self.doc
            .load_incremental(bytes)
            .map_err(|e| DocError::Corrupt(e.to_string()))?;
        Ok(added)
    }

    pub fn portfolio_id(&self) -> String {
        match self.doc.get(ROOT, KEY_PORTFOLIO_ID) {
            Ok(Some((value, id))) => {
                let reader = Reader {
                    doc: &self.doc,
                    heads: None,
                };
                read::value_to_json(&reader, &value, &id)
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            }
            _ => String::new(),
        }
    }

    /// Every change, oldest first.
    pub fn history(&mut self) -> Vec<HistoryEntry> {
        history::history(&mut self.doc)
    }
}

fn parse_actor(actor_hex: &str) -> Result<ActorId, DocError> {
    let valid = actor_hex.len() == 32 && actor_hex.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid {
        return Err(DocError::InvalidActor(actor_hex.to_string()));
    }
    ActorId::try_from(actor_hex).map_err(|_| DocError::InvalidActor(actor_hex.to_string()))
}

fn load_automerge(bytes: &[u8]) -> Result<AutoCommit, DocError> {
    if bytes.is_empty() {
        return Err(DocError::Empty);
    }
    if !bytes.starts_with(&AUTOMERGE_MAGIC) {
        return Err(DocError::NotAutomerge);
    }
    let mut doc = AutoCommit::load(bytes).map_err(|e| DocError::Corrupt(e.to_string()))?;
    if doc.get_changes_meta(&[]).is_empty() {
        return Err(DocError::NotPortfolio);
    }
    Ok(doc)
}
