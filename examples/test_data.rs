//! canon on every distinct `SHOW CREATE TABLE` output of MariaDB's own test suite (Debian's
//! `mariadb-test-data`; `scripts/test-data` fetches it and runs this).
//!
//!     cargo run --example test_data -- DIR [--failures N] [--min-read PERCENT]
//!         [--max-failed N] [--sample EVERY FILE]
//!
//! DIR is searched for mysqltest `.result` files. Each output is read as a dump's statement
//! (MariaDB 10.11) and must render back byte for byte, or be refused by name. Prints the
//! total, how many were read with zero self-drift, refused per feature, and failed (the first
//! N listed). Exits 1 when more than --max-failed (default 0) failed or fewer than PERCENT
//! were read (default 99). `--sample` writes every EVERY-th distinct output to FILE in the
//! result files' own format (the fixture `fixtures/test-data/sample.result`).

use canon::flavor::Flavor;
use canon::source::ddl::printed::{not_as_printed, outputs, verdict, Verdict};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn results(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for e in entries {
        if e.is_dir() {
            results(&e, out)?;
        } else if e.extension().is_some_and(|x| x == "result") {
            out.push(e);
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(|v| v.parse::<f64>())
            .transpose()
    };
    let show = option("--failures")?.unwrap_or(20.0) as usize;
    let min_read = option("--min-read")?.unwrap_or(99.0);
    let max_failed = option("--max-failed")?.unwrap_or(0.0) as usize;
    let dir = args
        .first()
        .ok_or("usage: test_data DIR [--failures N] [--min-read PERCENT] [--max-failed N] [--sample EVERY FILE]")?;
    let mut files = Vec::new();
    results(Path::new(dir), &mut files)?;
    // Distinct outputs, each with the first file that printed it.
    let mut seen = BTreeSet::new();
    let mut distinct: Vec<(String, PathBuf)> = Vec::new();
    let mut not_utf8 = 0;
    let mut left_out: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &files {
        let bytes = std::fs::read(f)?;
        for o in outputs(&bytes) {
            if !seen.insert(o.to_vec()) {
                continue;
            }
            match std::str::from_utf8(o) {
                Ok(s) => match not_as_printed(s) {
                    Some(why) => *left_out.entry(why).or_default() += 1,
                    None => distinct.push((s.to_string(), f.clone())),
                },
                Err(_) => not_utf8 += 1,
            }
        }
    }
    if let Some(at) = args.iter().position(|a| a == "--sample") {
        let every: usize = args.get(at + 1).ok_or("--sample EVERY FILE")?.parse()?;
        let file = args.get(at + 2).ok_or("--sample EVERY FILE")?;
        let mut out = String::new();
        for (text, from) in distinct.iter().step_by(every.max(1)) {
            let from = from.strip_prefix(dir).unwrap_or(from);
            out.push_str(&format!(
                "# {}\nTable\tCreate Table\nt\t{text}\n",
                from.display()
            ));
        }
        std::fs::write(file, out)?;
    }
    let flavor = Flavor::from_server_version("10.11.19-MariaDB")?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = distinct.len().div_ceil(workers).max(1);
    let verdicts: Vec<Verdict> = std::thread::scope(|s| {
        let handles: Vec<_> = distinct
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(t, _)| verdict(t, flavor))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect::<Vec<_>>()
    });
    let (mut read, mut same_tokens) = (0, 0);
    let mut refused: BTreeMap<String, usize> = BTreeMap::new();
    let mut failed = Vec::new();
    for (v, (text, file)) in verdicts.iter().zip(&distinct) {
        match v {
            Verdict::Read => read += 1,
            Verdict::SameTokens => same_tokens += 1,
            Verdict::Refused { feature, .. } => *refused.entry(feature.clone()).or_default() += 1,
            Verdict::Failed(why) => failed.push((why, text, file)),
        }
    }
    let total = distinct.len();
    let pct = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    println!(
        "{} result files, {total} distinct SHOW CREATE outputs as a server prints them",
        files.len()
    );
    println!("left out: {not_utf8} (not UTF-8)");
    for (why, n) in &left_out {
        println!("left out: {n} ({why})");
    }
    println!(
        "read, zero self-drift: {} ({:.2}%)",
        read + same_tokens,
        pct(read + same_tokens)
    );
    println!("  {read:>6}  byte for byte ({:.2}%)", pct(read));
    println!(
        "  {same_tokens:>6}  same tokens, other spacing or keyword case in expressions ({:.2}%)",
        pct(same_tokens)
    );
    let refusals: usize = refused.values().sum();
    println!("refused by name:       {refusals} ({:.2}%)", pct(refusals));
    let mut by_count: Vec<_> = refused.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (feature, n) in by_count {
        println!("  {n:>6}  {feature}");
    }
    println!(
        "failed:                {} ({:.2}%)",
        failed.len(),
        pct(failed.len())
    );
    for (why, text, file) in failed.iter().take(show) {
        println!("--- {}\n{why}\n{text}", file.display());
    }
    if failed.len() > max_failed || pct(read + same_tokens) < min_read {
        std::process::exit(1);
    }
    Ok(())
}
