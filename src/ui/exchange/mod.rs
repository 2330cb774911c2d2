//! Exchanging files with colleagues: the Exchange page (export, import,
//! merge review, open conflicts), the drop zone that accepts a file
//! anywhere, and the conflict badge other pages show on entities.
//!
//! Every file from outside takes one path, [`import`]: size check, the
//! import worker's check on a copy (`crate::worker`), and only then the
//! real import through [`AppState`], which stores and shares the result.

mod badge;
mod drop;
mod page;
mod review;

pub use crate::worker::client::{prewarm, release_warm};
pub use badge::ConflictBadge;
pub use drop::DropZone;
pub use page::ExchangePage;

use super::notices::NoticeKind;
use super::state::{log_error, now_secs, AppState, Phase};
use crate::doc::{
    Conflict, DocError, FileInfo, ImportReport, PreparedImport, Version, MAX_FILE_BYTES,
};
use crate::perf::Timer;
use crate::storage::{own_actor_ids, Colleague, Colleagues};
use crate::worker::{client, Refusal, CHECK_ACTOR};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// Exchange state shared by the page, the drop zone and the badges.
#[derive(Clone, Copy)]
pub struct Exchange {
    /// What is being done right now ("Checking file.pmo…"); one file at a time.
    pub busy: RwSignal<Option<String>>,
    /// The latest import, shown in the merge review until the next one.
    pub last: RwSignal<Option<Arc<LastImport>>>,
    /// Open conflicts of the live portfolio, kept in step with every change.
    pub conflicts: Memo<Arc<Vec<Conflict>>>,
    /// Fires when the colleague memory changed (it lives outside signals).
    pub colleagues_changed: Trigger,
    /// The name typed on the first-run screen: a file dropped there opens
    /// under it.
    pub draft_name: RwSignal<String>,
}

/// One import as the review shows it.
#[derive(Clone, Debug)]
pub struct LastImport {
    pub file_name: String,
    pub report: ImportReport,
}

/// Creates the exchange state; called once by the app.
pub fn provide(state: AppState) -> Exchange {
    // Finding conflicts walks the whole document, so it runs only when
    // they can have changed: after changes from elsewhere, or after an own
    // edit while some are open (an own edit can settle one, never add one).
    let seen_arrivals = StoredValue::new(u64::MAX);
    let conflicts = Memo::new(move |previous: Option<&Arc<Vec<Conflict>>>| {
        state.portfolio.track();
        let arrivals = state.arrivals.get();
        if let Some(previous) = previous {
            if previous.is_empty() && seen_arrivals.get_value() == arrivals {
                return previous.clone();
            }
        }
        seen_arrivals.set_value(arrivals);
        Arc::new(state.with_doc(|doc| doc.conflicts()).unwrap_or_default())
    });
    let exchange = Exchange {
        busy: RwSignal::new(None),
        last: RwSignal::new(None),
        conflicts,
        colleagues_changed: Trigger::new(),
        draft_name: RwSignal::new(state.user_name.get_untracked()),
    };
    provide_context(exchange);
    exchange
}

/// Imports a file from outside (picker or drop). With no portfolio yet the
/// file becomes this browser's portfolio. Refusals are shown as one
/// sentence and change nothing. (The handles are passed in: event
/// listeners on the window run outside any component, without context.)
pub fn import(state: AppState, exchange: Exchange, file: web_sys::File) {
    spawn_local(async move {
        let name = file.name();
        if exchange.busy.get_untracked().is_some() {
            state.notify(
                NoticeKind::Info,
                "Another file is being opened; try again in a moment.",
            );
            return;
        }
        exchange
            .busy
            .set(Some(format!("Checking \u{201c}{name}\u{201d}\u{2026}")));
        let result = import_file(state, exchange, &file).await;
        exchange.busy.set(None);
        if let Err(refusal) = result {
            web_sys::console::warn_1(
                &format!("import of {name} refused: {}", refusal.detail).into(),
            );
            state.notify(NoticeKind::Error, refusal.message);
        }
    });
}

async fn import_file(
    state: AppState,
    exchange: Exchange,
    file: &web_sys::File,
) -> Result<(), Refusal> {
    // Checked before reading: a huge file would cost its size in memory.
    let size = file.size() as usize;
    if size > MAX_FILE_BYTES {
        return Err(DocError::TooLarge {
            size,
            limit: MAX_FILE_BYTES,
        }
        .into());
    }
    let timer = Timer::start("pmo.import.read");
    let bytes = read_file(file).await?;
    timer.stop();
    let file_name = file.name();
    match state.phase.get_untracked() {
        Phase::FirstRun => open_as_portfolio(state, exchange, &bytes).await,
        Phase::Ready => merge(state, exchange, &file_name, &bytes).await,
        // Never replace a stored portfolio that could not be read.
        Phase::Loading | Phase::Unreadable(_) => Err(Refusal::new(
            "Files can be opened once your portfolio is available.",
            "import while the stored portfolio is not open",
        )),
    }
}

async fn open_as_portfolio(
    state: AppState,
    exchange: Exchange,
    bytes: &[u8],
) -> Result<(), Refusal> {
    let user = exchange.draft_name.get_untracked();
    if user.trim().is_empty() {
        return Err(Refusal::new(
            "Enter your name first: it is shown next to your changes.",
            "no user name yet",
        ));
    }
    let timer = Timer::start("pmo.import.check");
    client::check_new(bytes, CHECK_ACTOR).await?;
    timer.stop();
    // Only now: a refused file leaves nothing behind, not even the name.
    state
        .set_user_name(&user)
        .map_err(|message| Refusal::new(message, "user name refused"))?;
    if state.has_portfolio() {
        return Err(Refusal::new(
            "A portfolio was opened in another tab meanwhile; import the file from the Exchange page.",
            "portfolio appeared during the check",
        ));
    }
    let timer = Timer::start("pmo.import.open");
    let info = state.open_file_as_portfolio(bytes)?;
    timer.stop();
    remember_sender(exchange, &info);
    state.notify(
        NoticeKind::Info,
        format!(
            "Opened \u{201c}{}\u{201d} from {}\u{2019}s file. It is now kept in this browser.",
            info.portfolio_name,
            info.sender_label()
        ),
    );
    Ok(())
}

/// Attempts before giving up when the portfolio keeps changing (edits in
/// this or another tab) while the worker checks.
const CHECK_ATTEMPTS: usize = 3;

async fn merge(
    state: AppState,
    exchange: Exchange,
    file_name: &str,
    bytes: &[u8],
) -> Result<(), Refusal> {
    for _ in 0..CHECK_ATTEMPTS {
        let total = Timer::start("pmo.import.total");
        let timer = Timer::start("pmo.import.check");
        let Some(version) = state.current_version() else {
            return Err(DocError::NotPortfolio.into());
        };
        let update = |known: Option<&[String]>| {
            state.with_doc(|doc| {
                let known = known.and_then(|k| Version::parse(k).ok());
                match known {
                    // Only what the worker's copy lacks.
                    Some(known) if doc.has_version(&known) => {
                        client::Update::Since(doc.save_after(&known))
                    }
                    _ => client::Update::Full(doc.save()),
                }
            })
        };
        // Once the worker has merged the file without crashing, the app
        // merges it into a copy of its own while the worker validates.
        let prepared: Rc<RefCell<Option<PreparedImport>>> = Rc::default();
        let on_merged: Rc<dyn Fn()> = {
            let prepared = prepared.clone();
            let bytes = bytes.to_vec();
            Rc::new(move || {
                let timer = Timer::start("pmo.import.prepare");
                let copy = state.with_doc(|doc| doc.prepare_import(&bytes).ok());
                *prepared.borrow_mut() = copy.flatten();
                timer.stop();
            })
        };
        let checked =
            client::check_merge(bytes, CHECK_ACTOR, &version.to_strings(), update, on_merged)
                .await?;
        timer.stop();
        // The real import must see exactly what the worker saw, so that it
        // takes the path the worker survived.
        if state.current_version() != Some(version) {
            continue;
        }
        let timer = Timer::start("pmo.import.merge");
        let prepared = prepared.borrow_mut().take();
        let report = state
            .import_file(bytes, checked.check.as_ref(), prepared)
            .map_err(|e| {
                log_error(&format!("import after a passed check failed: {e}"));
                Refusal::from(e)
            })?;
        timer.stop();
        total.stop();
        remember_sender(exchange, &report.info);
        announce(state, &report);
        exchange.last.set(Some(Arc::new(LastImport {
            file_name: file_name.to_string(),
            report,
        })));
        go_to_exchange();
        return Ok(());
    }
    Err(Refusal::new(
        "Your portfolio kept changing while the file was checked; try the import again.",
        "version moved during every check",
    ))
}

fn announce(state: AppState, report: &ImportReport) {
    let from = report.info.sender_label();
    let text = match report.outcome.new_changes {
        0 => format!("Nothing new: this browser already had everything in {from}\u{2019}s file."),
        1 => format!("Merged 1 change from {from}."),
        n => format!("Merged {n} changes from {from}."),
    };
    state.notify(NoticeKind::Info, text);
}

/// "Changes since you last exchanged with S" start from the version S's
/// latest file carried.
fn remember_sender(exchange: Exchange, info: &FileInfo) {
    let Some(actor) = info.sender_actor.clone() else {
        return;
    };
    if own_actor_ids().contains(&actor) {
        return;
    }
    let colleague = Colleague {
        actor,
        name: info.sender_label(),
        version: info.version.to_strings(),
        exchanged_at: now_secs(),
    };
    if let Err(e) = Colleagues::remember(&info.portfolio_id, colleague) {
        log_error(&format!("colleague memory: {e}"));
    }
    exchange.colleagues_changed.notify();
}

async fn read_file(file: &web_sys::File) -> Result<Vec<u8>, Refusal> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| {
            Refusal::new(
                "That file could not be read; check that it is still there and try again.",
                format!("reading the file failed: {e:?}"),
            )
        })?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn go_to_exchange() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash("/exchange");
    }
}

/// A local date and time for history and reviews, e.g. "2026-01-05 14:02".
pub fn local_time(secs: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}
