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
    #[error("{count} change(s) this file builds on are missing here")]
    MissingChanges { count: usize },
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
            DocError::MissingChanges { .. } => {
                "That file builds on changes this browser has not received yet; import the sender's full file first.".into()
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
