//! After a tool ran: compare the Mission Control tasks' status with the last known state,
//! and set back any task that became done/ready without the artifacts its definition of
//! done demands.
//!
//! This judges the effect, not the spelling: `node mc done 12`, `CMD=done; node mc.js $CMD
//! 12`, `xargs`, aliases, wrapper scripts, `base64 -d | sh` and `sqlite3 … "UPDATE tasks SET
//! status='done' …"` all end in the same row of the same database. The PreToolUse parser
//! stays the fast first line; this is the net behind it.

use crate::settings::Settings;
use crate::state::{self, Known, Store};
use crate::{How, assess, claims, merge};
use rusqlite::{Connection, OpenFlags, TransactionBehavior, params};
use std::collections::BTreeMap;
use std::time::Duration;
use zakon_core::{Context, Error, Reason, Verdict};

/// Longest wait for Mission Control's own write lock before the gate gives up (exit 2).
const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

/// The PostToolUse check. Cheap when the database did not change: a few `stat` calls and a
/// read of the stamp file.
pub fn after_tool(ctx: &Context, s: &Settings) -> Result<Verdict, Error> {
    let store = Store::new(&ctx.home);
    let Some(now) = state::stamp(&s.mc_db)? else {
        // No database, no task to guard.
        return Ok(Verdict::Allow);
    };
    if store.stamp()?.as_deref() == Some(now.as_str()) {
        return Ok(Verdict::Allow);
    }
    let db = &s.mc_db;
    let fail = |e: rusqlite::Error| {
        Error::new(format!(
            "cannot check the task statuses in Mission Control database {}: {e}",
            db.display()
        ))
    };
    let mut conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(fail)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(fail)?;
    // One write transaction: what is read, judged and set back is one consistent state, and
    // a second gate process (a parallel tool call) waits here instead of judging half of it.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(fail)?;
    let current = statuses(&tx).map_err(fail)?;
    // Read after the lock is held: a gate that ran just before has saved its state.
    let known = store.known()?.filter(|k| k.db == *db);
    let mut next = Known {
        db: db.clone(),
        tasks: BTreeMap::new(),
    };
    let mut reasons: Vec<Reason> = Vec::new();
    match known {
        // First run (or another database): this is the baseline, nothing to compare with.
        None => next.tasks = current,
        Some(known) => {
            for (id, status) in current {
                let before = known.tasks.get(&id);
                if !newly_closed(s, before, status.as_deref()) {
                    next.tasks.insert(id, status);
                    continue;
                }
                let back = match before {
                    Some(b) => b.clone(),
                    None => Some(s.reopen.clone()),
                };
                match judge_task(ctx, s, &tx, id, status.as_deref(), back.as_deref()) {
                    None => {
                        next.tasks.insert(id, status);
                    }
                    Some(reason) => {
                        tx.execute(
                            "UPDATE tasks SET status = ?1 WHERE id = ?2",
                            params![back, id],
                        )
                        .map_err(fail)?;
                        next.tasks.insert(id, back);
                        reasons.push(reason);
                    }
                }
            }
        }
    }
    tx.commit().map_err(fail)?;
    // Closing the connection may checkpoint and remove the WAL: stamp what is left after.
    drop(conn);
    let after = state::stamp(db)?.unwrap_or_default();
    store.save(&next, &after)?;
    Ok(merge(reasons))
}

/// Did the task become closed since zakon last saw it? A task zakon never saw counts.
fn newly_closed(s: &Settings, before: Option<&Option<String>>, now: Option<&str>) -> bool {
    if !s.closes(now) {
        return false;
    }
    let norm = |x: &str| x.trim().to_lowercase();
    match (before, now) {
        (Some(Some(b)), Some(n)) => norm(b) != norm(n),
        _ => true,
    }
}

/// `None` when the task's claims are backed; else the block reason. An error while judging
/// (a corrupt claims file) sets the task back too: the close was not proven.
fn judge_task(
    ctx: &Context,
    s: &Settings,
    conn: &Connection,
    id: i64,
    to: Option<&str>,
    back: Option<&str>,
) -> Option<Reason> {
    let to = to.unwrap_or_default().to_string();
    let back_shown = back.unwrap_or("NULL").to_string();
    let action = to.trim().to_lowercase();
    let how = How::Reverted {
        to: to.clone(),
        back: back_shown.clone(),
    };
    let judged = claims::dod_in(conn, id)
        .map_err(|e| Error::new(format!("cannot read dod_evidence of task {id}: {e}")))
        .and_then(|dod| assess(id, dod, s));
    match judged {
        Ok(a) => a.reason(id, &action, &how, s, &ctx.home),
        Err(e) => Some(
            Reason::new(
                "fail-closed",
                format!(
                    "task {id} became `{to}` after the last tool call, \
                     but the gate cannot judge it: {e}. zakon set its status back to \
                     `{back_shown}`. Fix the cause, then run `{} {action} {id}` again.",
                    s.mc_command
                ),
            )
            .with_details(serde_json::json!({
                "task_id": id, "error": e.message,
                "reverted": {"status": to, "to": back_shown},
            })),
        ),
    }
}

/// Every task's status.
fn statuses(conn: &Connection) -> rusqlite::Result<BTreeMap<i64, Option<String>>> {
    let mut stmt = conn.prepare("SELECT id, status FROM tasks")?;
    let rows = stmt.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, claims::text_of(row.get_ref(1)?)))
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Section;
    use std::path::PathBuf;

    #[test]
    fn newly_closed_compares_with_what_was_known() {
        let s = Settings::from_section(Section::default(), |p| PathBuf::from(p)).unwrap();
        let some = |x: &str| Some(x.to_string());
        for (before, now, want) in [
            (Some(some("in_progress")), Some("done"), true),
            (Some(some("ready")), Some("done"), true),
            (Some(None), Some("ready"), true),
            (None, Some("done"), true),
            (Some(some("done")), Some("done"), false),
            (Some(some("done")), Some(" DONE "), false),
            (Some(some("in_progress")), Some("blocked"), false),
            (Some(some("done")), Some("in_progress"), false),
            (Some(some("in_progress")), None, false),
        ] {
            assert_eq!(
                newly_closed(&s, before.as_ref(), now),
                want,
                "{before:?} → {now:?}"
            );
        }
    }
}
