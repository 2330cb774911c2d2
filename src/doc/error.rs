//! Errors of the document layer, as data with precise lower-case messages.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum DocError {
    #[error("the file is empty")]
    Empty,
    #[error("not a portfolio file (it is not an automerge document)")]
    NotAutomerge,
    #[error("the file is damaged or truncated: {0}")]
    Corrupt(String),
    #[error("an automerge document, but not a pmo desk portfolio")]
    NotPortfolio,
    #[error("file is portfolio \"{theirs_name}\" ({theirs}); this browser holds \"{ours_name}\" ({ours})")]
    DifferentPortfolio {
        ours: String,
        ours_name: String,
        theirs: String,
        theirs_name: String,
    },
    #[error("portfolio schema version {found} is newer than this app understands ({supported}); update PMO Desk")]
    NewerSchema { found: u64, supported: u64 },
    /// `sender` is the display name of whoever sent the file ("" when
    /// unknown, e.g. for stored change records).
    #[error(
        "{count} change(s) this file builds on are missing here{}",
        sender_suffix(sender)
    )]
    MissingChanges { count: usize, sender: String },
    #[error("the file is {size} bytes; files over {limit} bytes are refused")]
    TooLarge { size: usize, limit: usize },
    #[error("the file unpacks to more than {limit} bytes; refused as damaged or malicious")]
    Overinflated { limit: usize },
    #[error("exchange file format {found} is newer than this app understands ({supported})")]
    NewerFormat { found: u64, supported: u64 },
    /// The file is well-formed but merging it would leave the portfolio in
    /// a state this app refuses (wrong types, unreadable records, sizes).
    #[error("the file would damage the portfolio: {0}")]
    Invalid(String),
    #[error("invalid actor id {0:?}")]
    InvalidActor(String),
    #[error("{noun} {id} does not exist (it may have been deleted)")]
    NotFound { noun: String, id: String },
    #[error("{noun} {id} already exists")]
    AlreadyExists { noun: String, id: String },
    #[error("invalid version {0:?}")]
    InvalidVersion(String),
    #[error("automerge: {0}")]
    Automerge(String),
}

fn sender_suffix(sender: &str) -> String {
    if sender.is_empty() {
        String::new()
    } else {
        format!(" (file from {sender})")
    }
}

impl From<automerge::AutomergeError> for DocError {
    fn from(e: automerge::AutomergeError) -> DocError {
        DocError::Automerge(e.to_string())
    }
}

impl DocError {
    /// One sentence for a person; the precise message goes to the console.
    pub fn user_message(&self) -> String {
        match self {
            DocError::Empty => "That file is empty.".into(),
            DocError::NotAutomerge | DocError::NotPortfolio => {
                "That file is not a PMO Desk portfolio.".into()
            }
            DocError::Corrupt(_) => "That file is damaged or incomplete; ask for a new copy.".into(),
            DocError::DifferentPortfolio {
                ours_name,
                theirs_name,
                ..
            } => format!(
                "That file belongs to the portfolio \u{201c}{theirs_name}\u{201d}, not \u{201c}{ours_name}\u{201d}; nothing was changed."
            ),
            DocError::NewerSchema { .. } => {
                "That file was saved by a newer PMO Desk; update the app to open it.".into()
            }
            DocError::MissingChanges { count, sender } => {
                let from = if sender.is_empty() {
                    "the sender".to_string()
                } else {
                    sender.clone()
                };
                format!(
                    "That file builds on {count} change(s) this browser has not received yet; ask {from} for a full file (or import their earlier files first). Nothing was changed."
                )
            }
            DocError::TooLarge { limit, .. } => format!(
                "That file is too large to open (the limit is {} MB).",
                limit / (1024 * 1024)
            ),
            DocError::Overinflated { .. } => {
                "That file is damaged or malicious (it unpacks to an enormous size); nothing was changed.".into()
            }
            DocError::NewerFormat { .. } => {
                "That file was saved by a newer PMO Desk; update the app to open it.".into()
            }
            DocError::Invalid(_) => {
                "That file contains data this app cannot accept; nothing was changed.".into()
            }
            other => {
                let mut s = other.to_string();
                if let Some(first) = s.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                s + "."
            }
        }
    }
}
