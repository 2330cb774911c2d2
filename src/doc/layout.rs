//! The document layout: root keys, schema version and representation rules.
//! `docs/file-format.md` describes the same layout for other tools.

/// Value of the root key `format`; marks a PMO Desk portfolio.
pub const FORMAT: &str = "pmo-desk";
/// The schema this app writes. Files with a higher number are refused.
pub const SCHEMA_VERSION: u64 = 1;

pub const KEY_FORMAT: &str = "format";
pub const KEY_SCHEMA: &str = "schema";
pub const KEY_PORTFOLIO_ID: &str = "portfolio_id";
pub const KEY_NAME: &str = "name";
pub const KEY_CREATED_AT: &str = "created_at";
pub const KEY_SETTINGS: &str = "settings";
pub const KEY_ACTORS: &str = "actors";

/// Entity collections created together with the document. A collection
/// added by a later schema may be created lazily: the reader unions maps
/// that two peers created concurrently at the same key, so nothing is lost.
pub const INITIAL_COLLECTIONS: &[&str] = &[
    "projects",
    "programs",
    "objectives",
    // Intake and governance.
    "criteria",
    "scenarios",
    "gate_reviews",
    "stage_overrides",
    "change_requests",
];

/// Fields holding long free text, stored as Automerge Text so that
/// concurrent edits to different parts of the text merge.
pub const TEXT_FIELDS: &[&str] = &[
    "description",
    // Intake and governance: business case, gate conditions, change impact.
    "problem_statement",
    "key_risks",
    "conditions",
    "scope_impact",
];

/// Automerge's magic bytes at the start of every document or change chunk.
pub const AUTOMERGE_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

pub fn is_text_field(key: &str) -> bool {
    TEXT_FIELDS.contains(&key)
}
