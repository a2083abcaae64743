//! The append-only audit log.

use super::StoredTime;
use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, FromRow};

/// Who acted: the user, and the site they acted for (代理入力), if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The acting user; `None` for the system itself (imports, demo data).
    pub user_id: Option<i64>,
    /// The site a municipality user acted for.
    pub acting_for_site_id: Option<i64>,
}

impl Actor {
    /// The system itself.
    pub const SYSTEM: Actor = Actor {
        user_id: None,
        acting_for_site_id: None,
    };

    /// A user acting on their own behalf.
    pub fn user(user_id: i64) -> Self {
        Self {
            user_id: Some(user_id),
            acting_for_site_id: None,
        }
    }
}

/// One change to record.
#[derive(Clone, Debug)]
pub struct Change<'a> {
    /// The kind of thing changed ("user", "session", "site", …).
    pub entity: &'a str,
    /// Its id.
    pub entity_id: String,
    /// The field.
    pub field: &'a str,
    /// Before.
    pub old_value: Option<String>,
    /// After.
    pub new_value: Option<String>,
}

impl Change<'static> {
    /// A change to one field of a user.
    pub fn user(
        user_id: i64,
        field: &'static str,
        old_value: Option<String>,
        new_value: Option<String>,
    ) -> Self {
        Change {
            entity: "user",
            entity_id: user_id.to_string(),
            field,
            old_value,
            new_value,
        }
    }
}

/// Appends one row. Call inside the transaction that makes the change.
pub async fn record(
    conn: &mut AnyConnection,
    at: DateTime<Utc>,
    actor: Actor,
    change: Change<'_>,
) -> sqlx::Result<()> {
    checked_query!(
        "INSERT INTO audit_log (at, actor_user_id, acting_for_site_id, entity, entity_id, field, old_value, new_value)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        at.timestamp(),
        actor.user_id,
        actor.acting_for_site_id,
        change.entity,
        change.entity_id,
        change.field,
        change.old_value,
        change.new_value,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Appends many rows by one actor in a few statements (an allocation table of a thousand sites
/// is a thousand changes). Call inside the transaction that makes the changes. The SQL is built
/// at run time (its VALUES list grows with the batch) from fixed column names only.
pub async fn record_many(
    conn: &mut AnyConnection,
    at: DateTime<Utc>,
    actor: Actor,
    changes: &[Change<'_>],
) -> sqlx::Result<()> {
    const COLUMNS: usize = 8;
    for chunk in changes.chunks(400) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let cells: Vec<String> = (1..=COLUMNS)
                    .map(|c| format!("${}", i * COLUMNS + c))
                    .collect();
                format!("({})", cells.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO audit_log (at, actor_user_id, acting_for_site_id, entity, entity_id, field, old_value, new_value) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for change in chunk {
            query = query
                .bind(at.timestamp())
                .bind(actor.user_id)
                .bind(actor.acting_for_site_id)
                .bind(change.entity)
                .bind(change.entity_id.as_str())
                .bind(change.field)
                .bind(change.old_value.as_deref())
                .bind(change.new_value.as_deref());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A stored audit row with names resolved.
#[derive(Debug, FromRow)]
pub struct AuditRecord {
    pub id: i64,
    #[sqlx(try_from = "StoredTime")]
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub acting_for: Option<String>,
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// Newest first, at most `limit` rows, optionally of one entity kind, matching the `LIKE`
/// `pattern` (`\\` escapes), before an id.
pub async fn list(
    conn: &mut AnyConnection,
    entity: Option<&str>,
    pattern: Option<&str>,
    before_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<AuditRecord>> {
    checked_query_as!(AuditRecord, "SELECT a.id, a.at, u.login_id AS actor, s.name AS acting_for, a.entity, a.entity_id, a.field,
                a.old_value, a.new_value
         FROM audit_log a
         LEFT JOIN users u ON u.id = a.actor_user_id
         LEFT JOIN sites s ON s.id = a.acting_for_site_id
         WHERE (CAST($1 AS TEXT) IS NULL OR a.entity = $1)
           AND (CAST($2 AS TEXT) IS NULL OR u.login_id LIKE $2 ESCAPE '\\' OR a.entity_id LIKE $2 ESCAPE '\\'
                OR a.old_value LIKE $2 ESCAPE '\\' OR a.new_value LIKE $2 ESCAPE '\\')
           AND (CAST($3 AS BIGINT) IS NULL OR a.id < $3)
         ORDER BY a.id DESC
         LIMIT $4", entity, pattern, before_id, limit)
    .fetch_all(conn)
    .await
}
