//! What this browser remembers about colleagues it exchanges files with:
//! per portfolio and per colleague (by name; the actor id of the device
//! their latest file came from is kept too), the version of the portfolio
//! their latest file carried. "Changes since you last
//! exchanged with S" starts from there, so a packet for S holds only what S
//! cannot have yet. Learned only from files S sent (never from what we
//! sent S: they may not have imported it). Kept in preferences under
//! `pmo-desk.colleagues.<portfolio id>` as JSON; versions are change hashes
//! as strings, so this module knows nothing about Automerge.

use super::{Prefs, StorageError};
use serde::{Deserialize, Serialize};

/// One colleague as remembered for one portfolio.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Colleague {
    /// Actor id (hex) of the colleague's device.
    pub actor: String,
    /// Their display name when the file arrived.
    pub name: String,
    /// Change hashes of the version their latest file carried.
    pub version: Vec<String>,
    /// When that file was imported here (seconds since the Unix epoch).
    pub exchanged_at: i64,
}

/// The colleague memory of this browser.
#[derive(Debug)]
pub struct Colleagues;

impl Colleagues {
    /// Everyone remembered for `portfolio_id`, by name.
    pub fn list(portfolio_id: &str) -> Vec<Colleague> {
        let mut list: Vec<Colleague> = Prefs::get(&key(portfolio_id))
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        list.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.actor.cmp(&b.actor))
        });
        list
    }

    /// The colleague with device `actor`, if remembered for `portfolio_id`.
    pub fn get(portfolio_id: &str, actor: &str) -> Option<Colleague> {
        Self::list(portfolio_id)
            .into_iter()
            .find(|c| c.actor == actor)
    }

    /// Remembers (or updates) a colleague after importing their file.
    /// On a storage error the memory still holds for this page (see
    /// [`Prefs::set`]).
    pub fn remember(portfolio_id: &str, colleague: Colleague) -> Result<(), StorageError> {
        let mut list = Self::list(portfolio_id);
        // One entry per person: their latest file counts, whichever of
        // their tabs or devices (actors) it came from.
        let name = colleague.name.to_lowercase();
        list.retain(|c| c.actor != colleague.actor && c.name.to_lowercase() != name);
        list.push(colleague);
        let json = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
        Prefs::set(&key(portfolio_id), &json)
    }

    /// Forgets every colleague of `portfolio_id`.
    pub fn forget_all(portfolio_id: &str) -> Result<(), StorageError> {
        Prefs::set(&key(portfolio_id), "[]")
    }
}

fn key(portfolio_id: &str) -> String {
    format!("colleagues.{portfolio_id}")
}
