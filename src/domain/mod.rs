//! Plain portfolio types and rules; no browser or Automerge types.
