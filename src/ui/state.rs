//! App-wide state: the portfolio snapshot signal and the one door for
//! every change ([`AppState::dispatch`]), which applies the command to the
//! document, persists the change, tells other tabs and refreshes the view.

use super::notices::{Notice, NoticeKind};
use crate::doc::{
    DocError, FileInfo, ImportCheck, ImportReport, PortfolioDoc, PreparedImport, Version,
};
use crate::domain::{Command, Portfolio};
use crate::storage::{lease_actor, request_persistence, DocStore, Prefs, StorageError, TabChannel};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use std::sync::Arc;

/// IndexedDB database and BroadcastChannel name of the app.
pub const STORE_NAME: &str = "pmo-desk";
/// Change records kept before they are folded into a new snapshot.
const COMPACT_AFTER: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Loading,
    FirstRun,
    /// Something is stored but cannot be read; we show why and never
    /// overwrite it.
    Unreadable(String),
    Ready,
}

/// Non-reactive session data: the live document and where it is kept.
#[derive(Default)]
struct Session {
    doc: Option<PortfolioDoc>,
    store: Option<Rc<DocStore>>,
    tabs: Option<TabChannel>,
    /// The version last handed to storage: the next record holds what
    /// came after it.
    persisted: Version,
    /// A write failed: the next persist writes a full snapshot.
    needs_snapshot: bool,
    /// The version the `portfolio` signal shows: the next snapshot is
    /// that one refreshed with the changes after it.
    shown: Version,
}

impl Session {
    /// The snapshot of the document after it changed, from `previous`
    /// (the one showing [`Session::shown`]); re-reads only what changed.
    fn refreshed(&mut self, previous: &Portfolio) -> Option<Portfolio> {
        let doc = self.doc.as_mut()?;
        let next = doc.snapshot_since(previous, &self.shown);
        self.shown = doc.version();
        Some(next)
    }
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub phase: RwSignal<Phase>,
    pub portfolio: RwSignal<Arc<Portfolio>>,
    pub user_name: RwSignal<String>,
    pub notices: RwSignal<Vec<Notice>>,
    /// Counts changes that reached the live document from elsewhere (an
    /// opened or imported file, another tab, storage): only those can
    /// create conflicts, so conflict lists need not be recomputed for
    /// this tab's own edits while there are none.
    pub arrivals: RwSignal<u64>,
    next_notice: StoredValue<u64>,
    session: StoredValue<Session, LocalStorage>,
}

impl AppState {
    pub fn new() -> AppState {
        AppState {
            phase: RwSignal::new(Phase::Loading),
            portfolio: RwSignal::new(Arc::new(Portfolio::default())),
            user_name: RwSignal::new(Prefs::user_name().unwrap_or_default()),
            notices: RwSignal::new(Vec::new()),
            arrivals: RwSignal::new(0),
            next_notice: StoredValue::new(0),
            session: StoredValue::new_local(Session::default()),
        }
    }

    /// Opens the stored portfolio (if any) and starts listening to other tabs.
    pub fn start(self) {
        spawn_local(async move {
            request_persistence().await;
            // Before anything is read or written: this tab's own actor.
            lease_actor().await;
            self.open_store().await;
            self.listen_to_tabs();
            mark_ready();
        });
    }

    async fn open_store(self) {
        let store = match DocStore::open(STORE_NAME).await {
            Ok(store) => Rc::new(store),
            Err(e) => {
                self.storage_failed(&e);
                self.phase.set(Phase::FirstRun);
                return;
            }
        };
        self.session.update_value(|s| s.store = Some(store.clone()));
        self.reload_from(&store).await;
    }

    /// (Re)reads the stored portfolio into memory.
    async fn reload_from(self, store: &DocStore) {
        match store.load().await {
            Ok(None) => self.phase.set(Phase::FirstRun),
            Ok(Some(stored)) => match read_stored(stored.snapshot.as_deref(), &stored.changes) {
                Ok(doc) => self.install(doc, true),
                Err(e) => {
                    log_error(&format!("stored portfolio unreadable: {e}"));
                    self.phase.set(Phase::Unreadable(e.user_message()));
                }
            },
            Err(e) => {
                log_error(&format!("storage: {e}"));
                self.phase.set(Phase::Unreadable(e.user_message()));
            }
        }
    }

    /// Makes `doc` the live portfolio. `stored` says whether storage
    /// already holds everything in it.
    fn install(self, mut doc: PortfolioDoc, stored: bool) {
        let snapshot = Arc::new(doc.snapshot());
        let version = doc.version();
        self.session.update_value(|s| {
            s.persisted = if stored {
                version.clone()
            } else {
                Version::default()
            };
            s.needs_snapshot = !stored;
            s.shown = version;
            s.doc = Some(doc);
        });
        self.portfolio.set(snapshot);
        self.arrivals.update(|n| *n += 1);
        self.phase.set(Phase::Ready);
        if !stored {
            self.persist();
        }
    }

    /// Starts a brand-new portfolio in this browser.
    pub fn create_portfolio(self, portfolio_name: &str, user_name: &str) -> Result<(), String> {
        self.set_user_name(user_name)?;
        let doc = PortfolioDoc::create(portfolio_name, &Prefs::actor_id(), user_name, now_secs())
            .map_err(|e| e.user_message())?;
        self.install(doc, false);
        self.create_default_criteria();
        Ok(())
    }

    /// Scoring criteria exist from the start, so colleagues who join from
    /// this portfolio's file never create their own defaults.
    fn create_default_criteria(self) {
        if let Some(cmd) =
            crate::domain::scoring::ensure_default_criteria(&self.portfolio.get_untracked())
        {
            self.dispatch(cmd);
        }
    }

    /// Opens an exchange file as this browser's portfolio (how a colleague
    /// joins). Call only for a file the import worker has accepted.
    pub fn open_file_as_portfolio(self, bytes: &[u8]) -> Result<FileInfo, DocError> {
        let (doc, info) = PortfolioDoc::open_file(bytes, &Prefs::actor_id())?;
        self.install(doc, false);
        Ok(info)
    }

    /// Merges an exchange file into the live portfolio, then stores and
    /// shares the result like any edit. Call only for a file the import
    /// worker has accepted, with what it concluded (`check`, reused when
    /// it describes this very import) and the copy merged while it
    /// validated (`prepared`); on error nothing changed.
    pub fn import_file(
        self,
        bytes: &[u8],
        check: Option<&ImportCheck>,
        prepared: Option<PreparedImport>,
    ) -> Result<ImportReport, DocError> {
        let previous = self.portfolio.get_untracked();
        let result = self
            .session
            .try_update_value(|s| {
                let doc = s.doc.as_mut().ok_or(DocError::NotPortfolio)?;
                let report = match (check, prepared) {
                    (Some(check), Some(prepared)) => doc.finish_import(prepared, bytes, check),
                    (Some(check), None) => doc.import_checked(bytes, check),
                    (None, _) => doc.import(bytes),
                }?;
                let snapshot = if report.outcome.new_changes > 0 {
                    s.refreshed(&previous)
                } else {
                    None
                };
                Ok((report, snapshot))
            })
            .unwrap_or(Err(DocError::NotPortfolio));
        let (report, snapshot) = result?;
        if let Some(snapshot) = snapshot {
            self.portfolio.set(Arc::new(snapshot));
            self.arrivals.update(|n| *n += 1);
            self.persist();
        }
        Ok(report)
    }

    /// Runs `f` on the live document (exports, history, conflicts, time
    /// travel). `None` when no portfolio is open. `f` must not call back
    /// into the app state.
    pub fn with_doc<R>(self, f: impl FnOnce(&mut PortfolioDoc) -> R) -> Option<R> {
        self.session
            .try_update_value(|s| s.doc.as_mut().map(f))
            .flatten()
    }

    pub fn has_portfolio(self) -> bool {
        self.session.with_value(|s| s.doc.is_some())
    }

    /// The live portfolio's version (its heads), if one is open.
    pub fn current_version(self) -> Option<Version> {
        self.with_doc(|doc| doc.version())
    }

    /// Starts a new portfolio holding the sample (register feature): the
    /// creation and "Load sample portfolio" are two ordinary changes, so
    /// it is a real portfolio, editable and shareable like any other.
    pub fn create_sample_portfolio(self, user_name: &str) -> Result<(), String> {
        use crate::domain::sample;
        self.set_user_name(user_name)?;
        let user_name = user_name.trim();
        let mut doc = PortfolioDoc::create(
            sample::SAMPLE_PORTFOLIO_NAME,
            &Prefs::actor_id(),
            user_name,
            now_secs(),
        )
        .map_err(|e| e.user_message())?;
        if let Some(command) =
            sample::sample(today()).command(sample::LOAD_SUMMARY, &doc.snapshot())
        {
            doc.apply(&command, user_name, now_secs())
                .map_err(|e| e.user_message())?;
        }
        self.install(doc, false);
        self.create_default_criteria();
        Ok(())
    }

    pub fn set_user_name(self, name: &str) -> Result<(), String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("Enter your name: it is shown next to your changes.".into());
        }
        if let Err(e) = Prefs::set_user_name(name) {
            self.storage_failed(&e);
        }
        self.user_name.set(name.to_string());
        Ok(())
    }

    /// Applies one user action. On error the portfolio is untouched and the
    /// reason is shown; returns whether it was applied.
    pub fn dispatch(self, command: Command) -> bool {
        let author = self.user_name.get_untracked();
        let previous = self.portfolio.get_untracked();
        let result = self.session.try_update_value(|s| {
            let doc = s.doc.as_mut().ok_or(DocError::NotPortfolio)?;
            doc.apply(&command, &author, now_secs())?;
            s.refreshed(&previous).ok_or(DocError::NotPortfolio)
        });
        match result {
            Some(Ok(snapshot)) => {
                self.portfolio.set(Arc::new(snapshot));
                self.persist();
                true
            }
            Some(Err(e)) => {
                log_error(&format!("{}: {e}", command.summary));
                self.notify(NoticeKind::Error, e.user_message());
                false
            }
            None => false,
        }
    }

    /// Writes what changed since the last write: one record, or a full
    /// snapshot when due. Also tells other tabs.
    fn persist(self) {
        let Some((store, write)) = self.session.try_update_value(next_write).flatten() else {
            return;
        };
        spawn_local(async move {
            let result = match &write {
                Write::Record(bytes) => match store.append_change(bytes).await {
                    Ok(pending) if pending > COMPACT_AFTER => self.compact(&store).await,
                    other => other.map(|_| ()),
                },
                Write::Snapshot(_) => self.compact(&store).await,
            };
            match result {
                // Only now is it safe for other tabs to read or apply it.
                Ok(()) => self.session.with_value(|s| {
                    if let Some(tabs) = &s.tabs {
                        tabs.post(write.bytes());
                    }
                }),
                Err(e) => {
                    self.session.update_value(|s| s.needs_snapshot = true);
                    self.storage_failed(&e);
                }
            }
        });
    }

    /// Writes a new snapshot that folds in every stored change record.
    /// What other tabs stored is merged into our document first, so
    /// compaction never drops their edits.
    async fn compact(self, store: &DocStore) -> Result<(), StorageError> {
        let stored = store.load().await?;
        let (mark, bytes) = match self.session.try_update_value(|s| {
            let doc = s.doc.as_mut()?;
            if let Some(stored) = &stored {
                for bytes in stored.snapshot.iter().chain(&stored.changes) {
                    if let Err(e) = doc.apply_changes(bytes) {
                        log_error(&format!("compaction skipped a stored record: {e}"));
                    }
                }
            }
            Some((store.mark(), doc.save()))
        }) {
            Some(Some(pair)) => pair,
            _ => return Ok(()),
        };
        match store.write_snapshot(&bytes, mark).await {
            // Another tab compacted meanwhile: its snapshot already holds
            // these records, and ours stay until the next round.
            Err(StorageError::SnapshotConflict) => Ok(()),
            other => other,
        }
    }

    fn listen_to_tabs(self) {
        let Ok(channel) = TabChannel::open(STORE_NAME) else {
            return;
        };
        channel.subscribe(move |bytes| self.receive_from_tab(bytes));
        self.session.update_value(|s| s.tabs = Some(channel));
    }

    /// Another tab made a change (already stored by that tab). An empty
    /// message means "a new snapshot is stored": read storage.
    fn receive_from_tab(self, bytes: Vec<u8>) {
        let previous = self.portfolio.get_untracked();
        let applied = self.session.try_update_value(|s| {
            let doc = s.doc.as_mut()?;
            if bytes.is_empty() {
                return None;
            }
            doc.apply_changes(&bytes).ok()?;
            if !s.needs_snapshot {
                s.persisted = doc.version();
            }
            s.refreshed(&previous)
        });
        match applied.flatten() {
            Some(snapshot) => {
                self.portfolio.set(Arc::new(snapshot));
                self.arrivals.update(|n| *n += 1);
            }
            None => spawn_local(async move { self.refresh_from_store().await }),
        }
    }

    /// Merges everything in storage into the live document (or opens it,
    /// when this tab has none yet).
    async fn refresh_from_store(self) {
        let Some(store) = self.session.with_value(|s| s.store.clone()) else {
            return;
        };
        if self.session.with_value(|s| s.doc.is_none()) {
            return self.reload_from(&store).await;
        }
        let stored = match store.load().await {
            Ok(Some(stored)) => stored,
            Ok(None) => return,
            Err(e) => return self.storage_failed(&e),
        };
        let previous = self.portfolio.get_untracked();
        let snapshot = self.session.try_update_value(|s| {
            let doc = s.doc.as_mut()?;
            for bytes in stored.snapshot.iter().chain(&stored.changes) {
                if let Err(e) = doc.apply_changes(bytes) {
                    log_error(&format!("skipped a stored record: {e}"));
                }
            }
            s.refreshed(&previous)
        });
        if let Some(Some(snapshot)) = snapshot {
            self.portfolio.set(Arc::new(snapshot));
            self.arrivals.update(|n| *n += 1);
        }
    }

    pub fn notify(self, kind: NoticeKind, text: impl Into<String>) {
        let id = self.next_notice.get_value();
        self.next_notice.set_value(id + 1);
        let notice = Notice {
            id,
            kind,
            text: text.into(),
        };
        self.notices.update(|list| {
            list.push(notice);
            // Keep the area short: old notices make way for new ones.
            if list.len() > 4 {
                list.remove(0);
            }
        });
    }

    pub fn dismiss(self, id: u64) {
        self.notices.update(|list| list.retain(|n| n.id != id));
    }

    fn storage_failed(self, e: &StorageError) {
        log_error(&format!("storage: {e}"));
        self.notify(NoticeKind::Error, e.user_message());
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

enum Write {
    /// The changes since the last write.
    Record(Vec<u8>),
    /// A full snapshot, produced when written (see `compact`).
    Snapshot(Vec<u8>),
}

impl Write {
    fn bytes(&self) -> &[u8] {
        match self {
            Write::Record(b) | Write::Snapshot(b) => b,
        }
    }
}

/// Decides the next storage write and marks it as handed over.
fn next_write(s: &mut Session) -> Option<(Rc<DocStore>, Write)> {
    let store = s.store.clone()?;
    let doc = s.doc.as_mut()?;
    let version = doc.version();
    let write = if s.needs_snapshot || s.persisted.is_empty() {
        Write::Snapshot(Vec::new())
    } else if s.persisted == version {
        return None;
    } else {
        Write::Record(doc.save_after(&s.persisted))
    };
    s.persisted = version;
    s.needs_snapshot = false;
    Some((store, write))
}

fn read_stored(snapshot: Option<&[u8]>, changes: &[Vec<u8>]) -> Result<PortfolioDoc, DocError> {
    let snapshot = snapshot.ok_or(DocError::Empty)?;
    let mut doc = PortfolioDoc::load(snapshot, &Prefs::actor_id())?;
    // Records may arrive out of order across tabs; applying them together
    // lets Automerge order them by their dependencies.
    doc.apply_changes(&changes.concat())?;
    Ok(doc)
}

/// Today's date in the user's time zone.
pub fn today() -> crate::domain::Date {
    let now = js_sys::Date::new_0();
    crate::domain::Date::from_ymd(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_else(|| crate::domain::Date::from_unix_ms(js_sys::Date::now()))
}

pub fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

pub fn log_error(message: &str) {
    web_sys::console::error_1(&message.into());
}

/// Tells end-to-end tests (and anyone watching) that the app is usable.
fn mark_ready() {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-ready", "true");
    }
}
