//! The time source. Production reads the system clock; tests move a manual clock to check
//! expiry rules to the minute.

use app::domain::jst;
use chrono::{DateTime, SubsecRound, Utc};
use std::sync::{Arc, Mutex};

/// Formats a moment as RFC 3339 in JST, as the browser shows it.
pub fn to_jst_rfc3339(at: DateTime<Utc>) -> String {
    at.with_timezone(&jst()).to_rfc3339()
}

/// A source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Now, in UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    /// Now, to the whole second: the precision moments are stored with, so a moment compared
    /// with one read back from the database means the same in both.
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(0)
    }
}

/// A clock that stands still until moved; for tests.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(start)))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().expect("clock lock");
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}
