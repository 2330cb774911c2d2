//! The portfolio document: the only module that talks to Automerge.
