//! Exchanging a portfolio with colleagues: exporting full files and
//! changes packets, reading what a file claims without applying it, and
//! importing one safely.
//!
//! Every file from outside goes through [`parse_file`]: size limit, bounded
//! unpacking, strict parsing, header checks. An import then merges into a
//! copy of the document, checks the merged copy against the schema
//! (`validate`), and only then replaces the real document, so a refused
//! file leaves nothing behind. Formats: docs/file-format.md.

use super::envelope::{self, PacketHeader, PACKET_TYPE};
pub use super::guard::{MAX_FILE_BYTES, MAX_INFLATED_BYTES};
use super::layout::*;
use super::read::{self, Reader};
use super::review::{deleted_while_edited, Delta, Review, Touches};
use super::{guard, load_automerge, parse_actor, validate, DocError, MergeOutcome};
use super::{PortfolioDoc, Version};
use crate::domain::Date;
use automerge::{AutoCommit, Change, ChangeHash, ReadDoc, ROOT};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;

/// The two kinds of exchange file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// The whole document with its history: a plain Automerge file.
    Full,
    /// Only the changes after a version the recipient already has.
    Packet,
}

/// What a file claims, read without applying it.
#[derive(Clone, Debug, PartialEq)]
pub struct FileInfo {
    pub kind: FileKind,
    pub portfolio_id: String,
    pub portfolio_name: String,
    /// Actor (hex) of the device that exported it. Packets carry it; for a
    /// full file it is the actor of the latest change among the heads.
    pub sender_actor: Option<String>,
    pub sender_name: Option<String>,
    /// Heads of the sender's document when exported.
    pub version: Version,
    /// Packets: the version the packet builds on (empty for full files).
    pub base: Version,
    /// Bytes of the file.
    pub size: usize,
    pub schema: u64,
}

impl FileInfo {
    /// The sender as a person reads it: name, else a short actor id.
    pub fn sender_label(&self) -> String {
        match (&self.sender_name, &self.sender_actor) {
            (Some(name), _) if !name.trim().is_empty() => name.trim().to_string(),
            (_, Some(actor)) => format!("unknown ({})", &actor[..actor.len().min(8)]),
            _ => "an unknown sender".into(),
        }
    }
}

/// What an import brought.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportReport {
    pub info: FileInfo,
    pub outcome: MergeOutcome,
    pub review: Review,
}

/// What a checked import concluded, in a form that crosses from the import
/// worker to the app (serde): the versions before and after, and the
/// review. See [`PortfolioDoc::import_checked`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportCheck {
    pub before: Vec<String>,
    pub after: Vec<String>,
    pub new_changes: usize,
    pub review: Review,
}

/// A file merged into a copy of the portfolio, not yet swapped in
/// ([`PortfolioDoc::prepare_import`]).
pub struct PreparedImport {
    info: FileInfo,
    before: Version,
    trial: AutoCommit,
    /// The file's changes this document lacked (packets only).
    incoming: Option<Vec<Change>>,
}

impl ImportCheck {
    /// True if this check started at `before` and ended at `after`.
    fn describes(&self, before: &Version, after: &Version) -> bool {
        let same = |ours: &Version, theirs: &[String]| {
            let mut ours = ours.to_strings();
            let mut theirs = theirs.to_vec();
            ours.sort();
            theirs.sort();
            ours == theirs
        };
        same(before, &self.before) && same(after, &self.after)
    }
}

impl ImportReport {
    /// The check the app's own import may reuse.
    pub fn check(&self) -> ImportCheck {
        ImportCheck {
            before: self.outcome.before.to_strings(),
            after: self.outcome.after.to_strings(),
            new_changes: self.outcome.new_changes,
            review: self.review.clone(),
        }
    }
}

/// `<portfolio>-<yyyy-mm-dd>-<user>.pmo`, or `...-changes.pmo` for a
/// packet; names are slugified so the file name is safe everywhere.
pub fn file_name(portfolio_name: &str, date: &Date, user: &str, kind: FileKind) -> String {
    let portfolio = slug(portfolio_name, "portfolio");
    let user = slug(user, "user");
    match kind {
        FileKind::Full => format!("{portfolio}-{date}-{user}.pmo"),
        FileKind::Packet => format!("{portfolio}-{date}-{user}-changes.pmo"),
    }
}

const SLUG_MAX_CHARS: usize = 40;

fn slug(text: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = fold_latin(c);
        if !folded.is_empty() {
            out.push_str(folded);
        } else if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(SLUG_MAX_CHARS).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        fallback.to_string()
    } else {
        out
    }
}

/// ASCII letters and digits as themselves; common Latin letters with
/// diacritics as their base letters; "" for anything else.
fn fold_latin(c: char) -> &'static str {
    const ASCII: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
    if c.is_ascii_alphanumeric() {
        let i = ASCII.find(c).unwrap_or(0);
        return &ASCII[i..i + 1];
    }
    match c {
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ą' => "a",
        'ä' | 'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ō' | 'ő' => "o",
        'ö' | 'ø' | 'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ū' | 'ů' | 'ű' => "u",
        'ü' => "ue",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => "",
    }
}

/// A file that passed every check that can be made without our document.
pub(crate) enum Parsed {
    Full(Box<AutoCommit>),
    Packet(Vec<Change>),
}

/// Reads and checks a file from outside: size, unpacked size, structure,
/// header. Nothing here touches a portfolio.
pub(crate) fn parse_file(bytes: &[u8]) -> Result<(FileInfo, Parsed), DocError> {
    guard::check_size(bytes)?;
    if envelope::is_packet(bytes) {
        return catch_panic(|| parse_packet(bytes));
    }
    if !bytes.starts_with(&AUTOMERGE_MAGIC) {
        return Err(DocError::NotAutomerge);
    }
    guard::check_inflation(bytes, MAX_INFLATED_BYTES)?;
    catch_panic(|| parse_full(bytes))
}

fn parse_full(bytes: &[u8]) -> Result<(FileInfo, Parsed), DocError> {
    let mut doc = load_automerge(bytes)?;
    let heads = doc.get_heads();
    // The most recent change among the heads stands for the sender.
    let mut sender = None::<(i64, String)>;
    for head in &heads {
        if let Some(meta) = doc.get_change_meta_by_hash(head) {
            if sender.as_ref().is_none_or(|(t, _)| meta.timestamp >= *t) {
                sender = Some((meta.timestamp, meta.actor.to_hex_string()));
            }
        }
    }
    let sender_actor = sender.map(|(_, actor)| actor);
    let doc = PortfolioDoc { doc };
    doc.check_header()?;
    let info = FileInfo {
        kind: FileKind::Full,
        portfolio_id: doc.portfolio_id(),
        portfolio_name: doc.root_name(),
        sender_name: sender_actor.as_deref().and_then(|a| doc.recorded_name(a)),
        sender_actor,
        version: Version(heads),
        base: Version::default(),
        size: bytes.len(),
        schema: doc.root_schema(),
    };
    Ok((info, Parsed::Full(Box::new(doc.doc))))
}

fn parse_packet(bytes: &[u8]) -> Result<(FileInfo, Parsed), DocError> {
    let (header, body) = envelope::decode_header(bytes)?;
    if header.schema > SCHEMA_VERSION {
        return Err(DocError::NewerSchema {
            found: header.schema,
            supported: SCHEMA_VERSION,
        });
    }
    if header.portfolio_id.is_empty() {
        return Err(DocError::Corrupt("the packet names no portfolio".into()));
    }
    parse_actor(&header.sender_actor)
        .map_err(|_| DocError::Corrupt("the packet's sender id is invalid".into()))?;
    let hashes = |list: &[String]| {
        Version::parse(list).map_err(|e| DocError::Corrupt(format!("packet header: {e}")))
    };
    let base = hashes(&header.base)?;
    let version = hashes(&header.version)?;
    let raw = envelope::unpack_body(&header, body)?;
    guard::check_inflation(&raw, MAX_INFLATED_BYTES - raw.len())?;
    let chunks = guard::split_chunks(&raw)?;
    if chunks.len() != header.changes {
        return Err(DocError::Corrupt(format!(
            "the packet holds {} changes; its header says {}",
            chunks.len(),
            header.changes
        )));
    }
    let mut changes = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let change = Change::try_from(chunk)
            .map_err(|e| DocError::Corrupt(format!("a change in the packet: {e}")))?;
        // Chunk bytes 4..8 are the first bytes of the change hash.
        if chunk[4..8] != change.hash().0[..4] {
            return Err(DocError::Corrupt(
                "a change's checksum does not match".into(),
            ));
        }
        changes.push(change);
    }
    let info = FileInfo {
        kind: FileKind::Packet,
        portfolio_id: header.portfolio_id,
        portfolio_name: header.portfolio_name,
        sender_actor: Some(header.sender_actor),
        sender_name: Some(header.sender_name).filter(|n| !n.trim().is_empty()),
        version,
        base,
        size: bytes.len(),
        schema: header.schema,
    };
    Ok((info, Parsed::Packet(changes)))
}

/// Automerge 0.12 panics on some damaged files. Natively (tests, tools) a
/// panic is caught and reported as damage; in the browser the file is
/// parsed in a Web Worker, whose crash the app reports instead.
#[cfg(not(target_arch = "wasm32"))]
fn catch_panic<T>(f: impl FnOnce() -> Result<T, DocError>) -> Result<T, DocError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(DocError::Corrupt("the file crashed the reader".into())))
}

#[cfg(target_arch = "wasm32")]
fn catch_panic<T>(f: impl FnOnce() -> Result<T, DocError>) -> Result<T, DocError> {
    f()
}

impl PortfolioDoc {
    /// What a file claims (kind, portfolio, sender, versions, size,
    /// schema), after the same checks as an import: size limits, bounded
    /// unpacking, structure, header and schema.
    pub fn inspect(bytes: &[u8]) -> Result<FileInfo, DocError> {
        parse_file(bytes).map(|(info, _)| info)
    }

    /// Opens a file as this browser's portfolio (when it holds none yet).
    /// Full files, and packets that build on nothing, are accepted; the
    /// result is checked like a merged copy.
    pub fn open_file(bytes: &[u8], actor_hex: &str) -> Result<(PortfolioDoc, FileInfo), DocError> {
        let actor = parse_actor(actor_hex)?;
        let (info, parsed) = parse_file(bytes)?;
        let doc = match parsed {
            Parsed::Full(doc) => doc.with_actor(actor),
            Parsed::Packet(changes) => {
                if !info.base.is_empty() {
                    return Err(DocError::MissingChanges {
                        count: info.base.0.len(),
                        sender: info.sender_label(),
                    });
                }
                let mut doc = AutoCommit::new().with_actor(actor);
                catch_panic(|| {
                    doc.apply_changes(changes)
                        .map_err(|e| DocError::Corrupt(e.to_string()))
                })?;
                if !doc.get_missing_deps(&[]).is_empty() {
                    return Err(DocError::Corrupt("the packet is incomplete".into()));
                }
                doc
            }
        };
        let doc = PortfolioDoc { doc };
        doc.check_header()?;
        let id = doc.portfolio_id();
        validate::check(&Delta::whole(&doc.root_json(None)), &id)?;
        Ok((doc, info))
    }

    /// The whole portfolio with its history, as a plain Automerge document
    /// any Automerge implementation can load.
    pub fn export_full(&mut self) -> Vec<u8> {
        self.doc.save()
    }

    /// The changes after `since` (what the colleague is known to have), in
    /// a compressed envelope naming the portfolio and the sender. Hashes
    /// in `since` this document does not know are ignored, so the packet
    /// never builds on something the sender cannot vouch for.
    pub fn export_packet(
        &mut self,
        since: &Version,
        sender_name: &str,
    ) -> Result<Vec<u8>, DocError> {
        let base: Vec<ChangeHash> = since
            .0
            .iter()
            .copied()
            .filter(|h| self.doc.get_change_meta_by_hash(h).is_some())
            .collect();
        let changes = self.doc.save_after(&base);
        let count = guard::split_chunks(&changes)?.len();
        let header = PacketHeader {
            kind: PACKET_TYPE.into(),
            portfolio_id: self.portfolio_id(),
            portfolio_name: self.root_name(),
            schema: self.root_schema(),
            sender_actor: self.actor_hex(),
            sender_name: sender_name.trim().to_string(),
            base: Version(base).to_strings(),
            version: self.version().to_strings(),
            changes: count,
            bytes: changes.len(),
        };
        Ok(envelope::encode(&header, &changes))
    }

    /// Sizes of a full file and of a packet since `since`, to show before
    /// the user chooses (offer the packet only when it is smaller).
    pub fn export_sizes(&mut self, since: &Version) -> (usize, usize) {
        let name = self.recorded_name(&self.actor_hex()).unwrap_or_default();
        let full = self.export_full().len();
        let packet = self
            .export_packet(since, &name)
            .map(|p| p.len())
            .unwrap_or(usize::MAX);
        (full, packet)
    }

    /// Merges an exchange file (full or packet) from a colleague.
    ///
    /// Refuses (with nothing applied) files of another portfolio, of a
    /// newer schema, damaged or oversized files, packets whose base
    /// changes are missing here (naming how many and from whom), and files
    /// whose merged result would break the schema. The merge happens on a
    /// copy that replaces the document only once everything passed.
    pub fn import(&mut self, bytes: &[u8]) -> Result<ImportReport, DocError> {
        self.import_reporting(bytes, || {})
    }

    /// [`Self::import`], calling `on_merged` as soon as the file is parsed
    /// and merged into the copy, before the copy is validated and reviewed.
    /// The import worker uses it to tell the app that the file did not
    /// crash Automerge, so the app can merge it too while the worker
    /// validates ([`Self::prepare_import`]).
    pub fn import_reporting(
        &mut self,
        bytes: &[u8],
        on_merged: impl FnOnce(),
    ) -> Result<ImportReport, DocError> {
        let prepared = self.prepare_import(bytes)?;
        on_merged();
        self.accept_checked(prepared)
    }

    /// Imports a file that [`Self::import`] already accepted on an
    /// identical copy of this document (the import worker's), reusing that
    /// check's review instead of computing and validating it again.
    ///
    /// The check is trusted only if it describes exactly this import: it
    /// must start from this document's version and the merge here must end
    /// at the version the check ended at. Versions are hashes of the
    /// changes, so equal versions mean the very document the check
    /// validated. Anything else (a stale or forged check) falls back to the
    /// full checked import, so a check can never bypass validation.
    pub fn import_checked(
        &mut self,
        bytes: &[u8],
        check: &ImportCheck,
    ) -> Result<ImportReport, DocError> {
        let prepared = self.prepare_import(bytes)?;
        self.finish_import(prepared, bytes, check)
    }

    /// The first half of an import: the file parsed and merged into a copy
    /// of this document, which stays untouched. Only for files the import
    /// worker has merged without crashing; finish with
    /// [`Self::finish_import`].
    pub fn prepare_import(&mut self, bytes: &[u8]) -> Result<PreparedImport, DocError> {
        let (info, parsed) = parse_file(bytes)?;
        let before = self.version();
        let (trial, incoming) = self.merged_copy(&info, parsed)?;
        Ok(PreparedImport {
            info,
            before,
            trial,
            incoming,
        })
    }

    /// Swaps in a prepared copy if `check` describes it (see
    /// [`Self::import_checked`]). If this document changed since it was
    /// prepared, the import of `bytes` starts again; if the check does not
    /// describe the copy, the copy is validated and reviewed here.
    pub fn finish_import(
        &mut self,
        mut prepared: PreparedImport,
        bytes: &[u8],
        check: &ImportCheck,
    ) -> Result<ImportReport, DocError> {
        if self.version() != prepared.before {
            return self.import_checked(bytes, check);
        }
        let after = Version(prepared.trial.get_heads());
        if !check.describes(&prepared.before, &after) {
            return self.accept_checked(prepared);
        }
        let PreparedImport {
            info,
            before,
            trial,
            ..
        } = prepared;
        self.doc = trial;
        Ok(ImportReport {
            info,
            outcome: MergeOutcome {
                before,
                after,
                new_changes: check.new_changes,
            },
            review: check.review.clone(),
        })
    }

    /// This document with the parsed file merged in, as a copy (the
    /// document itself is untouched), and for a packet the changes it
    /// brought that this document lacked. Refuses other portfolios and
    /// packets whose base this document lacks.
    fn merged_copy(
        &mut self,
        info: &FileInfo,
        parsed: Parsed,
    ) -> Result<(AutoCommit, Option<Vec<Change>>), DocError> {
        let ours = self.portfolio_id();
        if info.portfolio_id != ours {
            return Err(DocError::DifferentPortfolio {
                ours,
                ours_name: self.root_name(),
                theirs: info.portfolio_id.clone(),
                theirs_name: info.portfolio_name.clone(),
            });
        }
        let actor = self.doc.get_actor().clone();
        let mut trial = self.doc.fork().with_actor(actor);
        let mut incoming = None;
        match parsed {
            Parsed::Full(mut other) => {
                catch_panic(|| {
                    trial
                        .merge(&mut other)
                        .map_err(|e| DocError::Corrupt(e.to_string()))
                })?;
            }
            Parsed::Packet(changes) => {
                let missing = missing_deps(&mut trial, &changes);
                if missing > 0 {
                    return Err(DocError::MissingChanges {
                        count: missing,
                        sender: info.sender_label(),
                    });
                }
                let mut seen = HashSet::new();
                let new: Vec<Change> = changes
                    .iter()
                    .filter(|c| {
                        let hash = c.hash();
                        seen.insert(hash) && self.doc.get_change_meta_by_hash(&hash).is_none()
                    })
                    .cloned()
                    .collect();
                catch_panic(|| {
                    trial
                        .apply_changes(changes)
                        .map_err(|e| DocError::Corrupt(e.to_string()))
                })?;
                incoming = Some(new);
                if !trial.get_missing_deps(&[]).is_empty() {
                    return Err(DocError::Corrupt("the packet is incomplete".into()));
                }
                if info
                    .version
                    .0
                    .iter()
                    .any(|h| trial.get_change_meta_by_hash(h).is_none())
                {
                    return Err(DocError::Corrupt(
                        "the packet lacks changes its header lists".into(),
                    ));
                }
            }
        }
        Ok((trial, incoming))
    }

    /// Validates the merged copy against the schema and reviews what it
    /// brought; only then does the copy replace this document.
    fn accept_checked(&mut self, prepared: PreparedImport) -> Result<ImportReport, DocError> {
        let PreparedImport {
            info,
            before,
            trial,
            incoming,
        } = prepared;
        let ours = self.portfolio_id();
        let mut trial = PortfolioDoc { doc: trial };
        let after = trial.version();
        // Only what the new changes touched is read and checked: the cost
        // follows the size of the file, not of the portfolio.
        let touches = match &incoming {
            Some(changes) => Touches::of_changes(&trial.doc, changes),
            None => Touches::collect(&mut trial.doc, &before.0, &after.0),
        };
        let new_changes = touches.changes();
        let old = Reader {
            doc: &self.doc,
            heads: None,
        };
        let new = Reader {
            doc: &trial.doc,
            heads: None,
        };
        let delta = Delta::between(&old, &new, &[&touches]);
        validate::check(&delta, &ours)?;
        let mut review = trial.review_delta(&delta, &touches, None);
        review.deleted_while_edited =
            deleted_while_edited(&mut trial.doc, &info.version.0, &before.0, &touches, &delta);
        self.doc = trial.doc;
        Ok(ImportReport {
            info,
            outcome: MergeOutcome {
                before,
                after,
                new_changes,
            },
            review,
        })
    }

    /// True if every change of `version` is in this document (e.g. the
    /// version a colleague last sent: then a packet since it will apply).
    pub fn has_version(&mut self, version: &Version) -> bool {
        version
            .0
            .iter()
            .all(|h| self.doc.get_change_meta_by_hash(h).is_some())
    }

    /// The portfolio's name, read without building a snapshot.
    pub(crate) fn root_name(&self) -> String {
        self.root_value(KEY_NAME)
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    pub(crate) fn root_schema(&self) -> u64 {
        self.root_value(KEY_SCHEMA)
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
    }

    fn root_value(&self, key: &str) -> Option<Value> {
        let reader = Reader {
            doc: &self.doc,
            heads: None,
        };
        let (value, id) = self.doc.get(ROOT, key).ok()??;
        Some(read::value_to_json(&reader, &value, &id))
    }

    /// The display name recorded for an actor, if any.
    pub(crate) fn recorded_name(&self, actor_hex: &str) -> Option<String> {
        let reader = Reader {
            doc: &self.doc,
            heads: None,
        };
        reader
            .maps_at(&ROOT, KEY_ACTORS)
            .iter()
            .rev()
            .find_map(|actors| {
                let (value, id) = self.doc.get(actors, actor_hex).ok()??;
                read::value_to_json(&reader, &value, &id)
                    .as_str()
                    .map(str::to_string)
            })
            .filter(|name| !name.trim().is_empty())
    }
}

/// How many distinct changes the packet's changes depend on that are
/// neither in `doc` nor in the packet.
fn missing_deps(doc: &mut AutoCommit, changes: &[Change]) -> usize {
    let in_packet: HashSet<ChangeHash> = changes.iter().map(Change::hash).collect();
    let mut missing = HashSet::new();
    for dep in changes.iter().flat_map(|c| c.deps()) {
        if !in_packet.contains(dep) && doc.get_change_meta_by_hash(dep).is_none() {
            missing.insert(*dep);
        }
    }
    missing.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_slugs_with_date_and_kind() {
        let date = Date::from_ymd(2026, 3, 9).unwrap();
        assert_eq!(
            file_name("Acme PMO", &date, "Ada Lovelace", FileKind::Full),
            "acme-pmo-2026-03-09-ada-lovelace.pmo"
        );
        assert_eq!(
            file_name(
                "  Büro/Ölförderung: 2026! ",
                &date,
                "José",
                FileKind::Packet
            ),
            "buero-oelfoerderung-2026-2026-03-09-jose-changes.pmo"
        );
        assert_eq!(
            file_name("///", &date, "", FileKind::Full),
            "portfolio-2026-03-09-user.pmo"
        );
        let long = "x".repeat(100);
        assert_eq!(
            file_name(&long, &date, "u", FileKind::Full).len(),
            40 + "-2026-03-09-u.pmo".len()
        );
        assert_eq!(
            file_name("東京 office", &date, "u", FileKind::Full),
            "東京-office-2026-03-09-u.pmo"
        );
    }
}
