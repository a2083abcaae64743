//! Black-box tests of the HTTP API: each test starts the real server in-process on a free port
//! against a fresh database (SQLite by default, PostgreSQL with `VSYS_TEST_DB=postgres`) and
//! talks to it over HTTP the way the browser does, with a cookie jar per simulated browser.

mod accounts;
mod allocation;
mod billing;
mod bookings;
mod change_requests;
mod delivery;
mod doctors;
mod durability;
mod finder;
mod first_login;
mod frontend;
mod help;
mod helpers;
mod login;
mod mail_tls;
mod master_data;
mod out_of_area;
mod records;
mod report_trends;
mod reports;
mod reservation;
mod schema;
mod scope;
mod security;
mod sessions;
mod site_record;
mod statuses;
mod stock;
mod suppliers;
mod supply;
mod supply_scope;
mod wire;
