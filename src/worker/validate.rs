//! The check the worker runs on a file before the app may import it: the
//! same import the app will run, but into a throw-away copy of the
//! portfolio. The document layer does the checks (size, bounded unpacking,
//! header, schema and size limits of the merged result); running them here
//! means a file that crashes Automerge or exhausts memory takes only the
//! worker down. Plain Rust, so it is tested natively too.

use crate::doc::exchange::{FileKind, MAX_FILE_BYTES};
use crate::doc::{DocError, PortfolioDoc};

/// The file may be imported; what the check saw.
#[derive(Clone, Debug, PartialEq)]
pub struct Accepted {
    pub kind: FileKind,
    /// Changes the file brings that the portfolio lacks (all of them when
    /// the file becomes this browser's portfolio).
    pub new_changes: usize,
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
            })
        }
    }
}
