//! Runs a parsed command line and says how it went; `main` turns that into an exit code.

use crate::cli::{
    CheckFormat, Cli, Command, EnvArgs, HistoryTable, LintFormat, PlanFormat, ShowFormat, Sides,
    ValidateFormat,
};
use crate::document::planfile;
use crate::document::PlanDocument;
use crate::flavor::Flavor;
use crate::progress::Ui;
use crate::render::review;
use crate::{config, Credentials};
use crate::{Error, PlanRequest};
mod many;

use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

/// How a command that did not fail ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Drift,
    /// Some of several databases could not be checked; the report says which.
    Failed,
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

/// The command line merged with the configuration file and its environment: flags win,
/// then the environment, then the file's top level, then defaults.
struct Resolved {
    schema: Vec<PathBuf>,
    target: Option<String>,
    flavor: Option<Flavor>,
    history_table: String,
    ignore: Vec<String>,
    credentials: Credentials,
    /// The environment's destructive policy (true without an environment).
    destructive_allowed: bool,
    env: Option<String>,
    osc: crate::plan::osc::Policy,
    /// The environment's replicas (URLs without passwords).
    replicas: Vec<String>,
    programs: crate::diff::programs::Policy,
}

fn resolve(
    settings: &EnvArgs,
    target: Option<&String>,
    flavor: Option<Flavor>,
    history: &HistoryTable,
) -> Result<Resolved, Error> {
    let loaded = config::Loaded::load(settings.config.as_deref())?;
    let env = settings
        .env
        .as_deref()
        .map(|n| loaded.environment(n))
        .transpose()?;
    let var = crate::environment::var;
    let password = env
        .and_then(|e| e.password_env.as_deref())
        .and_then(var)
        .or_else(|| var("DB_PASSWORD"));
    let option_path = settings
        .defaults_file
        .clone()
        .or_else(|| env.and_then(|e| loaded.defaults_file(e)))
        .or_else(crate::source::live::options::default_file);
    let option_file = option_path
        .map(|p| {
            // A named option file that is not there is a settings mistake, not a bad URL.
            std::fs::metadata(&p).map_err(|source| config::ConfigError::Io {
                path: p.display().to_string(),
                source,
            })?;
            crate::source::live::options::read(&p).map_err(Error::from)
        })
        .transpose()?;
    let c = &loaded.config;
    Ok(Resolved {
        schema: loaded.schema(),
        target: target
            .cloned()
            .or_else(|| env.and_then(|e| e.target.clone())),
        flavor: flavor.or(env.and_then(|e| e.flavor)).or(c.flavor),
        history_table: history
            .name
            .clone()
            .or_else(|| c.history_table.clone())
            .unwrap_or_else(|| "canon_history".into()),
        ignore: c
            .ignore
            .iter()
            .chain(env.iter().flat_map(|e| &e.ignore))
            .cloned()
            .collect(),
        credentials: Credentials {
            password,
            option_file,
        },
        destructive_allowed: env.is_none_or(|e| e.allow_destructive),
        replicas: env.map(|e| e.replicas.clone()).unwrap_or_default(),
        env: settings.env.clone(),
        programs: c.programs.policy(),
        osc: {
            let mut p = crate::plan::osc::Policy::default();
            if let Some(o) = &c.online_schema_change {
                if let Some(t) = &o.tool {
                    p.tool = t.clone();
                }
                p.min_rows = o.min_rows.unwrap_or(p.min_rows);
                p.min_bytes = o.min_bytes.unwrap_or(p.min_bytes);
            }
            p
        },
    })
}

fn request(sides: &Sides, allow_destructive: bool) -> Result<(PlanRequest, Resolved), Error> {
    let r = resolve(
        &sides.settings,
        sides.target.as_ref(),
        sides.flavor,
        &sides.history,
    )?;
    if allow_destructive && !r.destructive_allowed {
        return Err(
            config::ConfigError::DestructiveNotAllowed(r.env.clone().unwrap_or_default()).into(),
        );
    }
    let schema = if sides.schema.is_empty() {
        r.schema.clone()
    } else {
        sides.schema.clone()
    };
    if schema.is_empty() {
        return Err(Error::NoSchema);
    }
    Ok((
        PlanRequest {
            schema,
            target: r.target.clone(),
            flavor: r.flavor,
            allow_destructive,
            assert_online: false,
            osc: r.osc.clone(),
            history_table: r.history_table.clone(),
            ignore: r.ignore.clone(),
            credentials: r.credentials.clone(),
            programs: r.programs,
        },
        r,
    ))
}

fn render(doc: &PlanDocument, format: ShowFormat) -> String {
    match format {
        ShowFormat::Text => review::text(doc),
        ShowFormat::Sql => review::script(doc),
        ShowFormat::Markdown => review::markdown(doc),
        ShowFormat::Json => json(doc),
        ShowFormat::Yaml => planfile::to_yaml(doc),
        ShowFormat::RollbackSql => review::rollback_script(doc),
        ShowFormat::Html => crate::render::html::page(doc),
    }
}

/// The operator at a terminal: progress on stderr, the question on stderr, the answer on stdin.
struct Terminal<'a>(&'a mut Ui);

impl crate::apply::Operator for Terminal<'_> {
    fn say(&mut self, line: &str) {
        // Each line starts a phase (a backup, a step): the spinner shows how long it runs.
        self.0.line(line);
        self.0.working(line);
    }

    fn confirm(&mut self, question: &str) -> Option<bool> {
        use std::io::IsTerminal;
        self.0.done();
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
    target: &'a crate::source::Shown,
    flavor: &'a str,
    objects: &'a [crate::document::ObjectDiff],
    warnings: &'a [String],
}

pub fn run(cli: Cli) -> Result<Outcome, Error> {
    let quiet = cli.quiet;
    let mut ui = Ui::new(quiet, cli.verbose);
    match cli.command {
        Command::Plan(args) => plan(args, &mut ui, quiet),
        Command::Check(args) => check(args, &mut ui),
        Command::Show(args) => show(args),
        Command::Dump(args) => dump(args, &mut ui),
        Command::Approve(args) => approve(args, quiet),
        Command::Apply(args) => apply(args, &mut ui),
        Command::Validate(args) => validate(args),
        Command::Lint(args) => lint(args),
        Command::Completions { shell } => completions(shell),
        Command::Man => man(),
    }
}

fn plan(args: crate::cli::PlanArgs, ui: &mut Ui, quiet: bool) -> Result<Outcome, Error> {
    let mut req = request(&args.sides, args.allow_destructive)?.0;
    req.assert_online = args.assert_online;
    if let Some(t) = &args.osc_tool {
        req.osc.tool = crate::plan::osc::tool(t).map_err(Error::Usage)?;
    }
    req.osc.min_rows = args.osc_min_rows.unwrap_or(req.osc.min_rows);
    req.osc.min_bytes = args.osc_min_bytes.unwrap_or(req.osc.min_bytes);
    ui.working("reading the target and the canonical schema, planning");
    let doc = crate::plan(&req)?;
    ui.done();
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
    // With --out the file is the result: --quiet leaves it at that.
    if !(quiet && args.out.is_some()) {
        print(&render(&doc, format));
    }
    if let Some(path) = &args.out {
        ui.line(&format!("plan written to {}", path.display()));
    }
    Ok(Outcome::Success)
}

fn check(args: crate::cli::CheckArgs, ui: &mut Ui) -> Result<Outcome, Error> {
    // Drift is everything that differs, whatever the destructive policy.
    let (mut req, _) = request(&args.sides, false)?;
    req.allow_destructive = true;
    if let Some(file) = &args.targets {
        return many::check_many(&req, file, args.parallel.max(1), args.format);
    }
    ui.working("reading the target and the canonical schema");
    let doc = crate::check(&req)?;
    ui.done();
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

fn show(args: crate::cli::ShowArgs) -> Result<Outcome, Error> {
    let doc = planfile::read(&args.plan)?;
    print(&render(&doc, args.format));
    Ok(Outcome::Success)
}

fn dump(args: crate::cli::DumpArgs, ui: &mut Ui) -> Result<Outcome, Error> {
    let r = resolve(
        &args.settings,
        args.target.as_ref(),
        args.flavor,
        &args.history,
    )?;
    let side = crate::load_target(
        &crate::Target::resolve(r.target.as_deref(), &r.credentials)?,
        r.flavor,
        &r.history_table,
        &r.ignore,
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
    ui.line(&format!(
        "wrote {} table(s){} and {} view(s) of {} to {}",
        side.schema.tables.len(),
        match side.schema.sequences.len() {
            0 => String::new(),
            n => format!(", {n} sequence(s)"),
        },
        side.schema.views.len(),
        side.label,
        args.out.display()
    ));
    Ok(Outcome::Success)
}

fn approve(args: crate::cli::ApproveArgs, quiet: bool) -> Result<Outcome, Error> {
    let mut doc = planfile::read(&args.plan)?;
    let at = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    crate::document::approve::approve(&mut doc, &args.by, args.note, at)?;
    planfile::write(&args.plan, &doc)?;
    if !quiet {
        print(&format!(
            "approved by {} ({} step(s), digest {})\n",
            args.by.trim(),
            doc.steps.len(),
            &doc.digest()[..16]
        ));
    }
    Ok(Outcome::Success)
}

fn apply(args: crate::cli::ApplyArgs, ui: &mut Ui) -> Result<Outcome, Error> {
    let doc = planfile::read(&args.plan)?;
    let operator = args.operator.or_else(crate::environment::user);
    let r = resolve(&args.settings, args.target.as_ref(), None, &args.history)?;
    if !r.destructive_allowed && doc.steps.iter().any(|s| s.safety.is_destructive()) {
        return Err(
            config::ConfigError::DestructiveNotAllowed(r.env.clone().unwrap_or_default()).into(),
        );
    }
    let opts = crate::apply::ApplyOptions {
        retarget: args.retarget,
        yes: args.yes,
        backup_dir: args.backup_dir,
        no_backup: args.no_backup,
        wait: args.wait,
        lock_wait_timeout: args.lock_wait_timeout,
        history_table: r.history_table.clone(),
        operator,
        replicas: crate::apply::replicas::Replicas {
            nodes: replica_specs(&args.replicas, &r)?,
            max_lag: args.max_lag,
            wait: args.replica_wait,
        },
    };
    let report = crate::apply(
        &doc,
        r.target.as_deref(),
        &r.credentials,
        &opts,
        &mut Terminal(ui),
    )?;
    ui.done();
    print(&review::apply_report(&report, &doc));
    Ok(Outcome::Success)
}

/// `--replica` URLs, else the environment's; credentials as for the target (its password
/// variable wins over a URL's, the option file fills what is missing).
fn replica_specs(
    given: &[String],
    r: &Resolved,
) -> Result<Vec<crate::source::live::ConnSpec>, Error> {
    let urls = if given.is_empty() { &r.replicas } else { given };
    urls.iter()
        .map(
            |url| match crate::Target::resolve(Some(url), &r.credentials)? {
                crate::Target::Live(spec) => Ok(spec),
                crate::Target::Dump(_) => Err(crate::source::live::LiveError::BadTarget(
                    "a replica is a live server: mysql://USER@HOST:PORT/DATABASE".into(),
                )
                .into()),
            },
        )
        .collect()
}

fn validate(args: crate::cli::ValidateArgs) -> Result<Outcome, Error> {
    let migrations = (!args.require_migration.is_empty()).then(|| crate::Migrations {
        required: args.require_migration.clone(),
        table: args.migrations_table.clone(),
        column: args.migrations_column.clone(),
    });
    let (req, _) = request(&args.sides, false)?;
    let (v, target) = crate::validate(&req, migrations.as_ref())?;
    let canonical: Vec<String> = req.schema.iter().map(|p| p.display().to_string()).collect();
    print(&match args.format {
        ValidateFormat::Text => crate::render::validation::text(&v, &target, &canonical.join(", ")),
        ValidateFormat::Json => crate::render::validation::json(&v, &target),
    });
    Ok(if v.passed() {
        Outcome::Success
    } else {
        Outcome::Drift
    })
}

fn lint(args: crate::cli::LintArgs) -> Result<Outcome, Error> {
    let r = resolve(
        &args.settings,
        None,
        args.flavor,
        &HistoryTable { name: None },
    )?;
    let schema = if args.schema.is_empty() {
        r.schema.clone()
    } else {
        args.schema.clone()
    };
    if schema.is_empty() {
        return Err(Error::NoSchema);
    }
    let findings = crate::lint(&schema, r.flavor)?;
    use crate::render::lint as out;
    print(&match args.format {
        LintFormat::Text => out::text(&findings, |p| std::fs::read_to_string(p).ok()),
        LintFormat::Github => out::github(&findings),
        LintFormat::Json => out::json(&findings),
        LintFormat::Sarif => out::sarif(&findings),
    });
    let errors = findings
        .iter()
        .any(|f| f.level == crate::lint::Level::Error);
    Ok(if errors {
        Outcome::Drift
    } else {
        Outcome::Success
    })
}

fn completions(shell: clap_complete::Shell) -> Result<Outcome, Error> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "canon", &mut out);
    print(&String::from_utf8_lossy(&out));
    Ok(Outcome::Success)
}

fn man() -> Result<Outcome, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
        .render(&mut out)
        .map_err(|source| Error::Write {
            path: "standard output".into(),
            source,
        })?;
    print(&String::from_utf8_lossy(&out));
    Ok(Outcome::Success)
}
