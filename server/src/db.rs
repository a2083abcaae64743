//! The database: one pool over SQLite (embedded default) or PostgreSQL, chosen by URL, with the
//! same repository functions for both (portable SQL through `sqlx::Any`).

/// A query that runs through `sqlx::Any`, so that one repository function serves SQLite and
/// PostgreSQL, and that the compiler checks first: `sqlx::query!` in a branch that never runs
/// verifies the SQL, its tables and columns, and the number and types of the parameters against
/// the PostgreSQL schema (offline data in `.sqlx/`, written by `scripts/sqlx-prepare.sh`). The
/// SQL may be several literals joined by `+`.
macro_rules! checked_query {
    ($sql:literal $(+ $more:literal)* $(, $arg:expr)* $(,)?) => {{
        if false {
            let _ = sqlx::query!($sql $(+ $more)* $(, $arg)*);
        }
        sqlx::query(concat!($sql $(, $more)*))$(.bind($arg))*
    }};
}

/// [`checked_query!`] decoding each row into `$row` (a `sqlx::FromRow`).
macro_rules! checked_query_as {
    ($row:ty, $sql:literal $(+ $more:literal)* $(, $arg:expr)* $(,)?) => {{
        if false {
            let _ = sqlx::query!($sql $(+ $more)* $(, $arg)*);
        }
        sqlx::query_as::<_, $row>(concat!($sql $(, $more)*))$(.bind($arg))*
    }};
}

/// [`checked_query!`] returning the first column of each row.
macro_rules! checked_scalar {
    ($sql:literal $(+ $more:literal)* $(, $arg:expr)* $(,)?) => {{
        if false {
            let _ = sqlx::query!($sql $(+ $more)* $(, $arg)*);
        }
        sqlx::query_scalar(concat!($sql $(, $more)*))$(.bind($arg))*
    }};
}

pub mod allocation;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod bookings;
pub mod delivery;
pub mod files;
pub mod finder;
pub mod inquiries;
pub mod knowledge;
pub mod master;
pub mod notices;
pub mod out_of_area;
pub mod outbox;
pub mod policy;
pub mod records;
pub mod reports;
pub mod site_record;
pub mod stock;
pub mod suppliers;
pub mod supply;
pub mod throttle;
pub mod users;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

/// Which database engine is behind the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbKind {
    /// SQLite file (WAL, foreign keys on, busy timeout).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// The connection pool and its engine.
#[derive(Clone, Debug)]
pub struct Db {
    /// The pool.
    pub pool: AnyPool,
    /// The engine.
    pub kind: DbKind,
}

impl Db {
    /// Connects (creating the SQLite file and its folder when missing) and runs the migrations.
    pub async fn connect_and_migrate(url: &str) -> anyhow::Result<Self> {
        install_default_drivers();
        let kind = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DbKind::Postgres
        } else if url.starts_with("sqlite:") {
            DbKind::Sqlite
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres://");
        };
        let url = match kind {
            DbKind::Sqlite => prepare_sqlite_url(url)?,
            DbKind::Postgres => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(if kind == DbKind::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10));
        let options = if kind == DbKind::Sqlite {
            options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets readers proceed while one writer writes; the busy timeout makes a
                    // second writer wait instead of failing at once.
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    // Reads map the file instead of copying pages through each connection's
                    // small page cache (the finder reads across a whole prefecture).
                    conn.execute("PRAGMA mmap_size = 268435456").await?;
                    Ok(())
                })
            })
        } else {
            options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // The reports' queries over the country's 70,000 sites cost enough for
                    // PostgreSQL to compile them (JIT), which takes about 90 ms each time: more
                    // than the queries themselves (R308's count 160 ms with it, 50 ms without).
                    conn.execute("SET jit = off").await?;
                    Ok(())
                })
            })
        };
        let pool = options.connect(&url).await?;
        match kind {
            DbKind::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await?,
            DbKind::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
        }
        Ok(Self { pool, kind })
    }
}

impl Db {
    /// Begins a transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a
    /// deferred transaction that reads and then writes fails at once with SQLITE_BUSY when another
    /// connection wrote in between, whereas an immediate one waits for the busy timeout.
    pub async fn begin(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.kind {
            DbKind::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            DbKind::Postgres => self.pool.begin().await,
        }
    }
}

/// Declares that each of these column types is read from an integer column (`INTEGER` on
/// SQLite, `BIGINT` on PostgreSQL), decoding it in its own `Decode`.
macro_rules! stored_as_integer {
    ($($column:ty),+) => {$(
        impl sqlx::Type<sqlx::Any> for $column {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <i64 as sqlx::Type<sqlx::Any>>::type_info()
            }

            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <i64 as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }
    )+};
}

stored_as_integer!(StoredFlag, StoredTime, StoredOptionalTime);

/// A yes/no column, stored as 0 or 1 (SQLite has no boolean type, and both engines keep the same
/// schema). Rows decode it into `bool` with `#[sqlx(try_from = "StoredFlag")]`; any other value
/// is a decode error, never a guess.
#[derive(Debug, Clone, Copy)]
pub struct StoredFlag(bool);

impl<'r> sqlx::Decode<'r, sqlx::Any> for StoredFlag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        match <i64 as sqlx::Decode<sqlx::Any>>::decode(value)? {
            0 => Ok(StoredFlag(false)),
            1 => Ok(StoredFlag(true)),
            other => Err(format!("{other} is not a stored yes/no (0 or 1)").into()),
        }
    }
}

impl From<StoredFlag> for bool {
    fn from(flag: StoredFlag) -> bool {
        flag.0
    }
}

/// A moment, stored as Unix seconds in an integer column (the one representation both engines
/// share). Rows decode it into `DateTime<Utc>` with `#[sqlx(try_from = "StoredTime")]`; a value
/// chrono cannot represent is a decode error. Writes bind `DateTime::timestamp()`.
#[derive(Debug, Clone, Copy)]
pub struct StoredTime(DateTime<Utc>);

impl<'r> sqlx::Decode<'r, sqlx::Any> for StoredTime {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let seconds = <i64 as sqlx::Decode<sqlx::Any>>::decode(value)?;
        DateTime::from_timestamp(seconds, 0)
            .map(StoredTime)
            .ok_or_else(|| format!("{seconds} is not a storable moment (Unix seconds)").into())
    }
}

impl From<StoredTime> for DateTime<Utc> {
    fn from(time: StoredTime) -> DateTime<Utc> {
        time.0
    }
}

/// [`StoredTime`] of a column that may be NULL ("not yet"): `#[sqlx(try_from =
/// "StoredOptionalTime")]` on an `Option<DateTime<Utc>>`.
#[derive(Debug, Clone, Copy)]
pub struct StoredOptionalTime(Option<DateTime<Utc>>);

impl<'r> sqlx::Decode<'r, sqlx::Any> for StoredOptionalTime {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        <Option<StoredTime> as sqlx::Decode<sqlx::Any>>::decode(value)
            .map(|time| StoredOptionalTime(time.map(DateTime::from)))
    }
}

impl From<StoredOptionalTime> for Option<DateTime<Utc>> {
    fn from(time: StoredOptionalTime) -> Option<DateTime<Utc>> {
        time.0
    }
}

/// A calendar date, stored as ISO text `YYYY-MM-DD` (both engines sort and compare it as text).
/// Rows decode it into `NaiveDate` with `#[sqlx(try_from = "StoredDate")]`; any other text is
/// a decode error. Writes bind `NaiveDate::to_string()`.
#[derive(Debug, Clone, Copy)]
pub struct StoredDate(NaiveDate);

impl sqlx::Type<sqlx::Any> for StoredDate {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as sqlx::Type<sqlx::Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <String as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for StoredDate {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let text = <String as sqlx::Decode<sqlx::Any>>::decode(value)?;
        text.parse::<NaiveDate>()
            .map(StoredDate)
            .map_err(|_| format!("{text:?} is not a stored date (YYYY-MM-DD)").into())
    }
}

impl From<StoredDate> for NaiveDate {
    fn from(date: StoredDate) -> NaiveDate {
        date.0
    }
}

/// True when `error` is a unique-constraint violation (on either engine), which the caller
/// turns into the domain's answer for "already there".
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

/// Adds `mode=rwc` so the file is created, and creates its folder.
fn prepare_sqlite_url(url: &str) -> anyhow::Result<String> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if !path.is_empty() && path != ":memory:" {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
    }
    Ok(if url.contains('?') {
        url.to_string()
    } else {
        format!("{url}?mode=rwc")
    })
}

/// [`StoredDate`] of a column that may be NULL ("not entered"): `#[sqlx(try_from =
/// "StoredOptionalDate")]` on an `Option<NaiveDate>`.
#[derive(Debug, Clone, Copy)]
pub struct StoredOptionalDate(Option<NaiveDate>);

impl sqlx::Type<sqlx::Any> for StoredOptionalDate {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as sqlx::Type<sqlx::Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <String as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for StoredOptionalDate {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        <Option<StoredDate> as sqlx::Decode<sqlx::Any>>::decode(value)
            .map(|date| StoredOptionalDate(date.map(NaiveDate::from)))
    }
}

impl From<StoredOptionalDate> for Option<NaiveDate> {
    fn from(date: StoredOptionalDate) -> Option<NaiveDate> {
        date.0
    }
}
