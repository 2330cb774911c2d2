//! Leptos user interface.
