//! Writes a generated portfolio file for benchmarks:
//! `cargo run --release --example generate_portfolio -- 1000 out.pmo`.
//! The file is an ordinary saved portfolio (what "Save a copy" writes).

use pmo_desk::doc::PortfolioDoc;
use pmo_desk::domain::{sample, Date, Portfolio};

const ACTOR: &str = "0123456789abcdef0123456789abcdef";

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let out = args.next().unwrap_or_else(|| format!("portfolio-{n}.pmo"));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let today = Date::from_unix_ms(now as f64 * 1000.0);
    let mut doc = PortfolioDoc::create(
        &format!("Generated portfolio ({n} projects)"),
        ACTOR,
        "Benchmark",
        now,
    )
    .expect("create portfolio");
    let command = sample::generated(n, today)
        .command(&format!("Generate {n} projects"), &Portfolio::default())
        .expect("records to add");
    doc.apply(&command, "Benchmark", now).expect("apply");
    let bytes = doc.save();
    std::fs::write(&out, &bytes).expect("write file");
    eprintln!("wrote {out}: {n} projects, {} bytes", bytes.len());
}
