//! Grouping a change history into sessions for the history page: the
//! consecutive changes of one person with no pause longer than
//! [`SESSION_GAP_SECS`] read as one piece of work (an editing session, or
//! a batch that arrived together in an import).

/// Longest pause between two changes of one session.
pub const SESSION_GAP_SECS: i64 = 30 * 60;

/// One person's run of changes.
#[derive(Clone, Debug, PartialEq)]
pub struct Session<T> {
    pub actor: String,
    /// Time of the first and last change (seconds since the epoch).
    pub start: i64,
    pub end: i64,
    /// Newest first.
    pub items: Vec<T>,
}

/// Groups `entries` (oldest first, as history lists them) into sessions,
/// newest session first. `key` gives an entry's actor and time. Entries
/// are ordered by time first (stable, so causal order breaks ties): after
/// merges, causal order interleaves people in ways that are hard to read.
pub fn sessions<T>(
    entries: Vec<T>,
    key: impl Fn(&T) -> (&str, i64),
    gap_secs: i64,
) -> Vec<Session<T>> {
    let mut entries = entries;
    entries.sort_by_key(|e| key(e).1);
    let mut out: Vec<Session<T>> = Vec::new();
    for entry in entries {
        let (actor, time) = key(&entry);
        let joins = out
            .last()
            .is_some_and(|s| s.actor == actor && time - s.end <= gap_secs);
        if joins {
            if let Some(last) = out.last_mut() {
                last.end = time;
                last.items.push(entry);
            }
        } else {
            out.push(Session {
                actor: actor.to_string(),
                start: time,
                end: time,
                items: vec![entry],
            });
        }
    }
    for session in &mut out {
        session.items.reverse();
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(actor: &'static str, time: i64) -> (&'static str, i64) {
        (actor, time)
    }

    #[test]
    fn consecutive_changes_of_one_person_form_a_session() {
        let history = vec![
            e("ada", 0),
            e("ada", 600),
            e("ada", 1200),
            e("ben", 1300),
            e("ada", 1400),
            e("ada", 1400 + SESSION_GAP_SECS + 1),
        ];
        let groups = sessions(history, |x| (x.0, x.1), SESSION_GAP_SECS);
        let shape: Vec<(&str, usize, i64, i64)> = groups
            .iter()
            .map(|s| (s.actor.as_str(), s.items.len(), s.start, s.end))
            .collect();
        assert_eq!(
            shape,
            vec![
                ("ada", 1, 3201, 3201),
                ("ada", 1, 1400, 1400),
                ("ben", 1, 1300, 1300),
                ("ada", 3, 0, 1200),
            ]
        );
        // Newest first inside a session too.
        assert_eq!(groups[3].items[0], e("ada", 1200));
    }

    #[test]
    fn merged_history_is_read_in_time_order() {
        // Causal order may list all of Ben's imported changes after Ada's.
        let history = vec![e("ada", 0), e("ada", 100), e("ben", 50), e("ben", 60)];
        let groups = sessions(history, |x| (x.0, x.1), SESSION_GAP_SECS);
        let actors: Vec<&str> = groups.iter().map(|s| s.actor.as_str()).collect();
        assert_eq!(actors, vec!["ada", "ben", "ada"]);
    }

    #[test]
    fn no_history_no_sessions() {
        let groups = sessions(Vec::<(&str, i64)>::new(), |x| (x.0, x.1), 60);
        assert!(groups.is_empty());
    }
}
