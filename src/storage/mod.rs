//! Browser persistence: IndexedDB document store, preferences, tab channel.
