//! Runs a parsed command line and says how it went; `main` turns that into an exit code.

use crate::cli::{CheckFormat, Cli, Command, PlanFormat, ShowFormat, Sides, ValidateFormat};
use crate::render::document::PlanDocument;
use crate::render::review;
use crate::{planfile, Error, PlanRequest};
use serde::Serialize;
use std::io::Write;

/// How a command that did not fail ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Drift,
}

fn print(text: &str) {
    let mut out = anstream::stdout();
    // A closed pipe (`canon plan | head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

fn request(sides: &Sides, allow_destructive: bool) -> PlanRequest {
    PlanRequest {
        schema: sides.schema.clone(),
        target: sides.target.clone(),
        flavor: sides.flavor,
        allow_destructive,
        history_table: sides.history.name.clone(),
    }
}

fn render(doc: &PlanDocument, format: ShowFormat) -> String {
    match format {
        ShowFormat::Text => review::text(doc),
        ShowFormat::Sql => review::script(doc),
        ShowFormat::Markdown => review::markdown(doc),
        ShowFormat::Json => json(doc),
        ShowFormat::Yaml => planfile::to_yaml(doc),
        ShowFormat::RollbackSql => review::rollback_script(doc),
    }
}

/// The operator at a terminal: progress on stderr, the question on stderr, the answer on stdin.
struct Terminal;

impl crate::apply::Operator for Terminal {
    fn say(&mut self, line: &str) {
        // Progress is a courtesy: a closed stderr (`2>&1 | head`) must not stop an apply.
        let mut err = std::io::stderr();
        let _ = writeln!(err, "{line}");
    }

    fn confirm(&mut self, question: &str) -> Option<bool> {
        use std::io::IsTerminal;
        if !std::io::stdin().is_terminal() {
            return None;
        }
        let _ = write!(std::io::stderr(), "{question} [y/N] ");
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer).ok()?;
        Some(matches!(answer.trim(), "y" | "Y" | "yes" | "YES"))
    }
}

/// `canon check --format json`: a stable report for scripts.
#[derive(Serialize)]
struct CheckReport<'a> {
    drift: bool,
    target: &'a str,
    flavor: &'a str,
    objects: &'a [crate::render::document::ObjectDiff],
    warnings: &'a [String],
}

pub fn run(cli: Cli) -> Result<Outcome, Error> {
    match cli.command {
        Command::Plan(args) => {
            let doc = crate::plan(&request(&args.sides, args.allow_destructive))?;
            if let Some(path) = &args.out {
                planfile::write(path, &doc)?;
            }
            let format = match args.format {
                PlanFormat::Text => ShowFormat::Text,
                PlanFormat::Yaml => ShowFormat::Yaml,
                PlanFormat::Json => ShowFormat::Json,
                PlanFormat::Sql => ShowFormat::Sql,
                PlanFormat::Markdown => ShowFormat::Markdown,
            };
            print(&render(&doc, format));
            if let Some(path) = &args.out {
                eprintln!("plan written to {}", path.display());
            }
            Ok(Outcome::Success)
        }
        Command::Check(args) => {
            let doc = crate::plan(&request(&args.sides, true))?;
            let text = match args.format {
                CheckFormat::Text => review::check_text(&doc),
                CheckFormat::Json => json(&CheckReport {
                    drift: !doc.objects.is_empty(),
                    target: &doc.source.target,
                    flavor: &doc.flavor,
                    objects: &doc.objects,
                    warnings: &doc.warnings,
                }),
                CheckFormat::Junit => crate::render::ci::junit(&doc),
                CheckFormat::Github => crate::render::ci::github(&doc),
                CheckFormat::Markdown => crate::render::ci::markdown(&doc),
            };
            print(&text);
            Ok(if doc.objects.is_empty() {
                Outcome::Success
            } else {
                Outcome::Drift
            })
        }
        Command::Dump(args) => {
            let side = crate::load_target(
                &crate::Target::resolve(args.target.as_deref())?,
                args.flavor,
                &args.history.name,
            )?;
            let files = crate::render::files::files(&side.schema, side.flavor, &side.label);
            for (rel, content) in &files {
                let path = args.out.join(rel);
                let io = |source| Error::Write {
                    path: path.display().to_string(),
                    source,
                };
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(io)?;
                }
                std::fs::write(&path, content).map_err(io)?;
            }
            eprintln!(
                "wrote {} table(s) and {} view(s) of {} to {}",
                side.schema.tables.len(),
                side.schema.views.len(),
                side.label,
                args.out.display()
            );
            Ok(Outcome::Success)
        }
        Command::Approve(args) => {
            let mut doc = planfile::read(&args.plan)?;
            let at = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
            crate::approve::approve(&mut doc, &args.by, args.note, at)?;
            planfile::write(&args.plan, &doc)?;
            print(&format!(
                "approved by {} ({} step(s), digest {})\n",
                args.by.trim(),
                doc.steps.len(),
                &doc.digest()[..16]
            ));
            Ok(Outcome::Success)
        }
        Command::Apply(args) => {
            let doc = planfile::read(&args.plan)?;
            let operator = args
                .operator
                .or_else(|| std::env::var("USER").ok())
                .or_else(|| std::env::var("LOGNAME").ok());
            let opts = crate::apply::ApplyOptions {
                retarget: args.retarget,
                yes: args.yes,
                backup_dir: args.backup_dir,
                no_backup: args.no_backup,
                wait: args.wait,
                lock_wait_timeout: args.lock_wait_timeout,
                history_table: args.history.name,
                operator,
            };
            let report = crate::apply(&doc, args.target.as_deref(), &opts, &mut Terminal)?;
            print(&review::apply_report(&report, &doc));
            Ok(Outcome::Success)
        }
        Command::Validate(args) => {
            let migrations = (!args.require_migration.is_empty()).then(|| crate::Migrations {
                required: args.require_migration.clone(),
                table: args.migrations_table.clone(),
                column: args.migrations_column.clone(),
            });
            let (v, target) = crate::validate(&request(&args.sides, false), migrations.as_ref())?;
            let canonical: Vec<String> = args
                .sides
                .schema
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            print(&match args.format {
                ValidateFormat::Text => {
                    crate::render::validation::text(&v, &target, &canonical.join(", "))
                }
                ValidateFormat::Json => crate::render::validation::json(&v, &target),
            });
            Ok(if v.passed() {
                Outcome::Success
            } else {
                Outcome::Drift
            })
        }
        Command::Show(args) => {
            let doc = planfile::read(&args.plan)?;
            print(&render(&doc, args.format));
            Ok(Outcome::Success)
        }
    }
}
