//! Plain portfolio types and the rules on them. No browser types and no
//! Automerge calls live here, so everything is testable with `cargo test`.

pub mod change_request;
pub mod command;
pub mod csv;
pub mod date;
pub mod display;
pub mod entity;
pub mod format;
pub mod governance;
pub mod health;
pub mod id;
pub mod intake;
pub mod kpi;
pub mod lifecycle;
pub mod objective;
pub mod portfolio;
pub mod project;
pub mod register;
pub mod roadmap;
pub mod sample;
pub mod scenario;
pub mod scoring;
pub mod selection;
pub mod timeline;
pub mod validation;

pub use command::{Command, FieldChange, Op};
pub use date::Date;
pub use entity::Entity;
pub use health::{Dimension, HealthOverride, HealthReport, HealthThresholds, Rag};
pub use id::new_id;
pub use objective::{Objective, Program};
pub use portfolio::{Portfolio, Settings};
pub use project::{Methodology, Priority, Project, ProjectStatus};
