//! The chatbot's evaluation of `scripts/bench-chatbot.sh`: on a fresh database (DATABASE_URL,
//! SQLite or PostgreSQL) loads the 40 ナレッジ articles of the demo, then asks every question of
//! `server/benches/chat_eval.json` (50 a clinic would ask, each with the article that answers it,
//! and 8 that no article answers) through the chatbot's own retrieval, and prints:
//! * the share of answerable questions whose article is among the three offered (goal ≥ 80 %),
//!   and first;
//! * the share of unanswerable questions the chatbot declined (and offered the inquiry form);
//! * the answer latency, median and p95 over 10 rounds (goal p95 < 200 ms on 2 cores).
//!
//! `DATABASE_URL=sqlite:///tmp/x.db cargo run --release -p server --example bench_chatbot`

use chrono::Utc;
use serde::Deserialize;
use server::db::Db;
use server::seed;
use server::service::chatbot_answer;
use std::time::{Duration, Instant};

const EVAL: &str = include_str!("../benches/chat_eval.json");
const ROUNDS: usize = 10;

#[derive(Deserialize)]
struct Case {
    question: String,
    expected: Option<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL")?;
    let db = Db::connect_and_migrate(&url).await?;
    let now = Utc::now();
    {
        let mut tx = db.begin().await?;
        seed::load_knowledge(&mut tx, db.kind, now).await?;
        tx.commit().await?;
    }
    let cases: Vec<Case> = serde_json::from_str(EVAL)?;
    let verbose = std::env::var("VSYS_BENCH_VERBOSE").is_ok();
    let (mut answerable, mut top3, mut top1, mut unanswerable, mut declined) = (0, 0, 0, 0, 0);
    let mut times: Vec<Duration> = Vec::new();
    for round in 0..ROUNDS {
        for case in &cases {
            let mut conn = db.pool.acquire().await?;
            let started = Instant::now();
            let (answer, _) = chatbot_answer(&mut conn, db.kind, &case.question)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            times.push(started.elapsed());
            if round > 0 {
                continue;
            }
            let offered: Vec<&str> = answer.articles.iter().map(|a| a.number.as_str()).collect();
            match &case.expected {
                Some(expected) => {
                    answerable += 1;
                    let found = answer.answered && offered.contains(&expected.as_str());
                    top3 += usize::from(found);
                    top1 +=
                        usize::from(answer.answered && offered.first() == Some(&expected.as_str()));
                    if verbose && !found {
                        println!(
                            "  miss: {} → {offered:?} (answered {}), expected {expected}",
                            case.question, answer.answered
                        );
                    }
                }
                None => {
                    unanswerable += 1;
                    declined += usize::from(!answer.answered);
                    if verbose && answer.answered {
                        println!(
                            "  answered what it should not: {} → {offered:?}",
                            case.question
                        );
                    }
                }
            }
        }
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0;
    println!(
        "engine: {:?}; {answerable} answerable questions: right article in the top 3 {top3} ({:.0} %, goal ≥ 80 %), first {top1} ({:.0} %); \
         {unanswerable} unanswerable: declined {declined}; latency over {} answers: median {:.1} ms, p95 {:.1} ms (goal < 200 ms)",
        db.kind,
        100.0 * top3 as f64 / answerable as f64,
        100.0 * top1 as f64 / answerable as f64,
        times.len(),
        at(0.5),
        at(0.95)
    );
    Ok(())
}
