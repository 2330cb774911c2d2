//! The change history: who changed what, when.

use automerge::AutoCommit;

/// One Automerge change as a person sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    /// Change hash (hex): identifies the version right after this change.
    pub hash: String,
    /// Actor id (hex) of the device that made it.
    pub actor: String,
    /// Seconds since the Unix epoch, as claimed by the author's device.
    pub time: i64,
    pub summary: String,
}

/// All changes in causal order (a change always after those it builds on).
pub(crate) fn history(doc: &mut AutoCommit) -> Vec<HistoryEntry> {
    doc.get_changes_meta(&[])
        .into_iter()
        .map(|meta| HistoryEntry {
            hash: meta.hash.to_string(),
            actor: meta.actor.to_hex_string(),
            time: meta.timestamp,
            summary: meta.message.map(|m| m.into_owned()).unwrap_or_default(),
        })
        .collect()
}
