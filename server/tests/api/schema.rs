//! The SQLite and PostgreSQL migrations must describe the same database: the same tables, the
//! same columns with the same types (as the app reads them through `sqlx::Any`) and nullability,
//! the same primary keys, indexes, unique constraints and foreign keys. Runs with
//! `VSYS_TEST_DB=postgres` (the PostgreSQL run of `scripts/test.sh`), which has both engines.
//! Each engine's full-text index is its own and left out: SQLite's FTS5 tables (`*_fts`, with
//! their shadow tables) and PostgreSQL's trigram indexes (`*_trgm`).

use sqlx::{Connection, Executor, PgConnection, Row, SqliteConnection};
use std::collections::BTreeSet;

/// One fact of a schema, engine-neutral, so two schemas compare as sets.
type Facts = BTreeSet<String>;

/// How the app reads a column's declared type.
fn kind_of(declared: &str) -> &'static str {
    let declared = declared.to_ascii_lowercase();
    if declared.contains("int") {
        "integer"
    } else if declared.contains("char") || declared.contains("text") {
        "text"
    } else if declared.contains("real") || declared.contains("double") || declared.contains("float")
    {
        "real"
    } else if declared.contains("bool") {
        "boolean"
    } else {
        "other"
    }
}

async fn sqlite_facts(conn: &mut SqliteConnection) -> Facts {
    let mut facts = Facts::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'
         AND name NOT LIKE '%fts%' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("list SQLite tables");
    for table in tables {
        facts.insert(format!("table {table}"));
        let columns = sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)")
            .bind(&table)
            .fetch_all(&mut *conn)
            .await
            .expect("SQLite columns");
        let mut key = Vec::new();
        for column in columns {
            let name: String = column.get(0);
            let declared: String = column.get(1);
            let not_null: i64 = column.get(2);
            let pk: i64 = column.get(3);
            // A single-column INTEGER PRIMARY KEY is NOT NULL in SQLite even when not declared so.
            let not_null = not_null != 0 || pk != 0;
            facts.insert(format!(
                "column {table}.{name} {} {}",
                kind_of(&declared),
                if not_null { "not null" } else { "null" }
            ));
            if pk != 0 {
                key.push((pk, name));
            }
        }
        key.sort();
        let key: Vec<_> = key.into_iter().map(|(_, name)| name).collect();
        facts.insert(format!("primary key {table}({})", key.join(",")));
        let indexes = sqlx::query("SELECT name, \"unique\", origin FROM pragma_index_list(?)")
            .bind(&table)
            .fetch_all(&mut *conn)
            .await
            .expect("SQLite indexes");
        for index in indexes {
            let name: String = index.get(0);
            let unique: i64 = index.get(1);
            let origin: String = index.get(2);
            if origin == "pk" {
                continue;
            }
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(&mut *conn)
                    .await
                    .expect("SQLite index columns");
            facts.insert(format!(
                "{} {table}({})",
                if unique != 0 { "unique index" } else { "index" },
                columns.join(",")
            ));
        }
        let keys = sqlx::query(
            "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await
        .expect("SQLite foreign keys");
        for key in keys {
            let target: String = key.get(1);
            let from: String = key.get(2);
            let to: Option<String> = key.get(3);
            facts.insert(format!(
                "foreign key {table}.{from} -> {target}.{}",
                to.unwrap_or_default()
            ));
        }
    }
    facts
}

async fn postgres_facts(conn: &mut PgConnection) -> Facts {
    let mut facts = Facts::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
         AND table_name NOT LIKE '_sqlx%' ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("list PostgreSQL tables");
    for table in tables {
        facts.insert(format!("table {table}"));
        let columns = sqlx::query(
            "SELECT column_name::text, data_type::text, is_nullable::text
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await
        .expect("PostgreSQL columns");
        for column in columns {
            let name: String = column.get(0);
            let declared: String = column.get(1);
            let nullable: String = column.get(2);
            facts.insert(format!(
                "column {table}.{name} {} {}",
                kind_of(&declared),
                if nullable == "NO" { "not null" } else { "null" }
            ));
        }
        // Indexes with their columns in order; the primary key's is the primary key.
        let indexes = sqlx::query(
            "SELECT i.indisprimary, i.indisunique,
                    array_to_string(array_agg(a.attname::text ORDER BY k.ord), ',')
             FROM pg_index i
             JOIN pg_class t ON t.oid = i.indrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace
             CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
             JOIN pg_class ic ON ic.oid = i.indexrelid
             WHERE n.nspname = 'public' AND t.relname = $1 AND ic.relname NOT LIKE '%_trgm'
             GROUP BY i.indexrelid, i.indisprimary, i.indisunique",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await
        .expect("PostgreSQL indexes");
        let mut has_key = false;
        for index in indexes {
            let primary: bool = index.get(0);
            let unique: bool = index.get(1);
            let columns: String = index.get(2);
            if primary {
                has_key = true;
                facts.insert(format!("primary key {table}({columns})"));
            } else {
                facts.insert(format!(
                    "{} {table}({columns})",
                    if unique { "unique index" } else { "index" }
                ));
            }
        }
        if !has_key {
            facts.insert(format!("primary key {table}()"));
        }
        let keys = sqlx::query(
            "SELECT a.attname::text, ft.relname::text, fa.attname::text
             FROM pg_constraint c
             JOIN pg_class t ON t.oid = c.conrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace
             JOIN pg_class ft ON ft.oid = c.confrelid
             CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(attnum, fattnum)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
             JOIN pg_attribute fa ON fa.attrelid = ft.oid AND fa.attnum = k.fattnum
             WHERE c.contype = 'f' AND n.nspname = 'public' AND t.relname = $1",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await
        .expect("PostgreSQL foreign keys");
        for key in keys {
            let from: String = key.get(0);
            let target: String = key.get(1);
            let to: String = key.get(2);
            facts.insert(format!("foreign key {table}.{from} -> {target}.{to}"));
        }
    }
    facts
}

#[tokio::test]
async fn the_sqlite_and_postgresql_migrations_build_the_same_schema() {
    if std::env::var("VSYS_TEST_DB").as_deref() != Ok("postgres") {
        eprintln!("schema comparison runs in the PostgreSQL run (VSYS_TEST_DB=postgres)");
        return;
    }
    let dir = std::env::temp_dir().join(format!(
        "vsys-schema-{}",
        data_encoding::HEXLOWER.encode(&server::security::random_bytes::<8>())
    ));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let sqlite_url = format!("sqlite://{}", dir.join("schema.db").display());
    server::db::Db::connect_and_migrate(&sqlite_url)
        .await
        .expect("migrate SQLite");

    let admin_url = std::env::var("VSYS_TEST_PG_ADMIN_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "postgres://127.0.0.1:5432/postgres".into());
    let database = format!(
        "vsys_schema_{}",
        data_encoding::HEXLOWER.encode(&server::security::random_bytes::<8>())
    );
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .expect("connect to PostgreSQL");
    admin
        .execute(format!("CREATE DATABASE {database}").as_str())
        .await
        .expect("create the database");
    let mut url = url::Url::parse(&admin_url).expect("admin URL");
    url.set_path(&format!("/{database}"));
    server::db::Db::connect_and_migrate(url.as_str())
        .await
        .expect("migrate PostgreSQL");

    let mut sqlite = SqliteConnection::connect(&sqlite_url)
        .await
        .expect("open SQLite");
    let mut postgres = PgConnection::connect(url.as_str())
        .await
        .expect("open PostgreSQL");
    let on_sqlite = sqlite_facts(&mut sqlite).await;
    let on_postgres = postgres_facts(&mut postgres).await;
    postgres.close().await.expect("close");
    admin
        .execute(format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)").as_str())
        .await
        .expect("drop the database");
    let _ = std::fs::remove_dir_all(&dir);

    assert!(on_sqlite.len() > 50, "too few facts read: {on_sqlite:#?}");
    let only_sqlite: Vec<_> = on_sqlite.difference(&on_postgres).collect();
    let only_postgres: Vec<_> = on_postgres.difference(&on_sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the migrations differ.\nonly on SQLite: {only_sqlite:#?}\nonly on PostgreSQL: {only_postgres:#?}"
    );
}

#[test]
fn declared_types_read_as_the_app_reads_them() {
    assert_eq!(kind_of("BIGINT"), "integer");
    assert_eq!(kind_of("INTEGER"), "integer");
    assert_eq!(kind_of("character varying"), "text");
    assert_eq!(kind_of("TEXT"), "text");
    assert_eq!(kind_of("double precision"), "real");
}
