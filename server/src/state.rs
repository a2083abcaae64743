//! The application state shared by every request, and the per-IP rate limiter.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::mail::Mailer;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Configuration.
    pub config: Arc<Config>,
    /// Mail.
    pub mailer: Mailer,
    /// The time source.
    pub clock: Arc<dyn Clock>,
    /// Per-IP limits on the authentication endpoints.
    pub limiter: Arc<RateLimiter>,
}

/// A fixed-window counter per (address, bucket). In memory: it slows down one client hammering
/// one server process; the per-account lockout, which lives in the database, is what holds across
/// processes.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<WindowKey, (i64, u32)>>,
}

/// A client address and the endpoint group it is counted for.
type WindowKey = (IpAddr, &'static str);

impl RateLimiter {
    /// A limiter allowing `per_minute` requests per address and bucket.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request; `Err(seconds)` to wait when over the limit.
    pub fn check(&self, ip: IpAddr, bucket: &'static str, now: i64) -> Result<(), u64> {
        let window = now.div_euclid(60);
        let mut windows = self.windows.lock().expect("rate limiter lock");
        if windows.len() > 100_000 {
            windows.retain(|_, (w, _)| *w == window);
        }
        let entry = windows.entry((ip, bucket)).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        entry.1 += 1;
        if entry.1 > self.per_minute {
            Err((60 - now.rem_euclid(60)) as u64)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limiter_refuses_past_the_limit_and_resets_next_minute() {
        let limiter = RateLimiter::new(2);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(limiter.check(ip, "login", 600).is_ok());
        assert!(limiter.check(ip, "login", 601).is_ok());
        assert_eq!(limiter.check(ip, "login", 602), Err(58));
        assert!(limiter.check(ip, "reset", 602).is_ok());
        assert!(limiter.check(ip, "login", 660).is_ok());
    }
}
