//! A throwaway MariaDB for one test binary: `mariadb-install-db` into a temp dir, `mariadbd`
//! on its own socket and a free port, stopped and removed when the test process exits (a
//! small shell watchdog does that: Rust statics are never dropped). Each test gets its own
//! database. `CANON_TEST_MYSQL_URL` (`mysql://root[:pw]@host:port/`) points the suite at
//! another server instead, e.g. a MySQL 8.
#![allow(dead_code)] // each test binary uses its own part of the helpers

pub mod galera;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub mod replication;

pub struct Server {
    /// Client arguments for the `mariadb` command line tool.
    client_args: Vec<String>,
    /// `mysql://user@host` (with `?socket=` for the throwaway server), without database.
    url_base: String,
    url_query: String,
    pub port: u16,
    pub socket: Option<PathBuf>,
    pub dir: Option<PathBuf>,
    /// The shell that owns the server; it outlives the tests on purpose and is never waited on.
    _watchdog: Option<std::process::Child>,
}

static SERVER: OnceLock<Server> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

const INSTALL_HELP: &str =
    "the tests need a MariaDB server binary (mariadbd and mariadb-install-db): \
install it with `sudo apt-get install -y mariadb-server` (./scripts/test does this), \
or set CANON_TEST_MYSQL_URL=mysql://root:PASSWORD@HOST:PORT/ to use a running server";

fn find(binary: &str, dirs: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(dirs.iter().map(PathBuf::from))
        .map(|d| d.join(binary))
        .find(|p| p.is_file())
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

pub fn current_user() -> String {
    let out = Command::new("id").arg("-un").output().expect("id -un");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `mariadbd`, or a panic that says how to install it.
fn mariadbd() -> PathBuf {
    find(
        "mariadbd",
        &["/usr/sbin", "/usr/local/sbin", "/usr/libexec"],
    )
    .expect(INSTALL_HELP)
}

/// A new directory under the system's temp dir, kept: the watchdog removes it.
pub fn temp_dir(prefix: &str) -> PathBuf {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .expect("a temp dir")
        .keep()
}

/// `mariadb-install-db` into `data`, for a server run as `user`.
pub fn install_datadir(data: &Path, user: &str) {
    let install = find("mariadb-install-db", &["/usr/bin", "/usr/local/bin"]).expect(INSTALL_HELP);
    // The bootstrap server's own tmpdir too (passed on to it): one bootstrapping in the shared
    // /tmp deletes the temporary tables of another bootstrapping at the same time.
    // Open to the user the server runs as (a Galera node started by root runs as mysql), as
    // /tmp is.
    let tmp = data.parent().unwrap_or(data).join("tmp");
    std::fs::create_dir_all(&tmp).expect("the bootstrap's tmpdir");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o1777))
        .expect("the bootstrap's tmpdir open to the server's user");
    let out = Command::new(&install)
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--tmpdir={}", tmp.display()))
        .arg(format!("--user={user}"))
        .args(["--auth-root-authentication-method=normal", "--skip-test-db"])
        .output()
        .expect("mariadb-install-db runs");
    assert!(
        out.status.success(),
        "mariadb-install-db failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The options of a throwaway server living in `dir`, on `port`, run as `user`.
pub fn server_args(dir: &Path, port: u16, user: &str) -> Vec<String> {
    // Its own tmpdir: a server deletes every `#sql*` file in its tmpdir when it starts, so
    // in a shared /tmp one starting (another test binary's) breaks another's temp tables.
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).expect("the server's tmpdir");
    vec![
        "--no-defaults".to_string(),
        format!("--datadir={}", dir.join("data").display()),
        format!("--socket={}", dir.join("mysqld.sock").display()),
        format!("--port={port}"),
        "--bind-address=127.0.0.1".into(),
        format!("--user={user}"),
        format!("--pid-file={}", dir.join("mysqld.pid").display()),
        format!("--log-error={}", dir.join("error.log").display()),
        format!("--tmpdir={}", tmp.display()),
        "--character-set-server=utf8mb4".into(),
        "--collation-server=utf8mb4_general_ci".into(),
        "--innodb-buffer-pool-size=128M".into(),
        "--innodb-log-file-size=32M".into(),
        "--innodb-flush-log-at-trx-commit=2".into(),
        "--innodb-doublewrite=0".into(),
        "--skip-name-resolve".into(),
        "--max-connections=200".into(),
        // Production servers with thousands of tables raise these; the defaults (400 /
        // 2000) make information_schema reopen table definitions over and over.
        "--table-definition-cache=10000".into(),
        "--table-open-cache=10000".into(),
    ]
}

/// Start `mariadbd` with `args` under a watchdog shell. The watchdog restarts the server
/// when it dies (as mysqld_safe does, so a test can crash it), and stops it and removes
/// `dir` once this process is gone.
fn watchdog(dir: &Path, args: &[String]) -> std::process::Child {
    let script = format!(
        "( while kill -0 {parent} 2>/dev/null; do \"$0\" \"$@\"; sleep 0.3; done ) & loop=$!; \
         while kill -0 {parent} 2>/dev/null; do sleep 0.5; done; kill $loop 2>/dev/null; \
         pid=$(cat '{dir}/mysqld.pid' 2>/dev/null); [ -n \"$pid\" ] && kill $pid 2>/dev/null; \
         while [ -n \"$pid\" ] && kill -0 $pid 2>/dev/null; do sleep 0.2; done; rm -rf '{dir}'",
        parent = std::process::id(),
        dir = dir.display()
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(mariadbd())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("mariadbd starts")
}

pub fn server() -> &'static Server {
    server_with(&[])
}

/// A throwaway server even when CANON_TEST_MYSQL_URL names another: for tests that crash it.
pub fn throwaway_server() -> &'static Server {
    SERVER.get_or_init(|| Server::throwaway(&[]))
}

/// The test binary's server, started with extra `mariadbd` options on first use (a binary
/// that needs other settings, e.g. `--lower-case-table-names=1`, is a binary of its own).
pub fn server_with(options: &[&str]) -> &'static Server {
    SERVER.get_or_init(|| match std::env::var("CANON_TEST_MYSQL_URL") {
        Ok(url) if !url.is_empty() && options.is_empty() => Server::external(&url),
        _ => Server::throwaway(options),
    })
}

impl Server {
    fn external(url: &str) -> Server {
        let rest = url
            .strip_prefix("mysql://")
            .expect("CANON_TEST_MYSQL_URL starts with mysql://");
        let (auth, hostport) = rest
            .trim_end_matches('/')
            .rsplit_once('@')
            .expect("user@host in CANON_TEST_MYSQL_URL");
        let (user, pass) = auth.split_once(':').unwrap_or((auth, ""));
        let (host, port) = hostport.split_once(':').unwrap_or((hostport, "3306"));
        let port: u16 = port.trim_end_matches('/').parse().expect("a port number");
        let mut client_args = vec![
            format!("--host={host}"),
            format!("--port={port}"),
            format!("--user={user}"),
        ];
        if !pass.is_empty() {
            client_args.push(format!("--password={pass}"));
        }
        Server {
            client_args,
            url_base: format!("mysql://{auth}@{host}:{port}"),
            url_query: String::new(),
            port,
            socket: None,
            dir: None,
            _watchdog: None,
        }
    }

    fn throwaway(options: &[&str]) -> Server {
        let dir = temp_dir("canon-test-mariadb-");
        let user = current_user();
        install_datadir(&dir.join("data"), &user);
        let port = free_port();
        let args: Vec<String> = server_args(&dir, port, &user)
            .into_iter()
            .chain(options.iter().map(|o| o.to_string()))
            .collect();
        let server = Server::local(&dir, port, &args);
        server.wait_ready();
        server.sql("", "CREATE USER 'canon'@'127.0.0.1' IDENTIFIED BY 'canon-test-pw'; GRANT ALL ON *.* TO 'canon'@'127.0.0.1'");
        server
    }

    /// A server in `dir` (datadir `dir/data`, socket `dir/mysqld.sock`) started with `args`
    /// under a watchdog. The caller waits for it to answer.
    pub fn local(dir: &Path, port: u16, args: &[String]) -> Server {
        let socket = dir.join("mysqld.sock");
        Server {
            client_args: vec![
                format!("--socket={}", socket.display()),
                "--user=root".into(),
            ],
            url_base: "mysql://root@localhost".into(),
            url_query: format!("?socket={}", socket.display()),
            port,
            socket: Some(socket),
            dir: Some(dir.to_path_buf()),
            _watchdog: Some(watchdog(dir, args)),
        }
    }

    /// Wait until the server answers (after a start or a crash).
    pub fn wait_ready(&self) {
        self.wait_for("the throwaway MariaDB answer", 60, |s| {
            s.try_sql("", "SELECT 1").is_ok_and(|o| o.status.success())
        });
    }

    /// Poll `done` until it holds; after `secs` seconds, panic with the server's error log.
    pub fn wait_for(&self, what: &str, secs: u64, done: impl Fn(&Server) -> bool) {
        let start = Instant::now();
        while !done(self) {
            if start.elapsed() > Duration::from_secs(secs) {
                let log = self
                    .dir
                    .as_ref()
                    .and_then(|d| std::fs::read_to_string(d.join("error.log")).ok())
                    .unwrap_or_default();
                panic!("waited {secs} s for {what}, in vain:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// A table `big` of 300,000 rows in `db`: rebuilding it makes a step that takes a while.
    pub fn big_table(&self, db: &str) {
        self.sql(
            db,
            "CREATE TABLE big (id int PRIMARY KEY, v varchar(60) NOT NULL); \
             INSERT INTO big SELECT seq, REPEAT('x', 60) FROM seq_1_to_300000",
        );
    }

    /// Kill the throwaway server the hard way (SIGKILL, as a crash or an OOM kill would) and
    /// wait for the watchdog to bring it back.
    pub fn crash(&self) {
        let dir = self
            .dir
            .as_ref()
            .expect("only a throwaway server can be crashed");
        let pid_file = dir.join("mysqld.pid");
        let pid = std::fs::read_to_string(&pid_file).expect("the server's pid file");
        let pid = pid.trim().to_string();
        let killed = Command::new("kill").args(["-9", &pid]).status().unwrap();
        assert!(killed.success(), "kill -9 {pid}");
        let start = Instant::now();
        while std::fs::read_to_string(&pid_file).is_ok_and(|p| p.trim() == pid) {
            assert!(start.elapsed() < Duration::from_secs(60), "no restart");
            std::thread::sleep(Duration::from_millis(100));
        }
        self.wait_ready();
    }

    /// `mysql://USER@127.0.0.1:PORT/DB` over TCP, for users other than root.
    pub fn tcp_url(&self, user: &str, db: &str) -> String {
        format!("mysql://{user}@127.0.0.1:{}/{db}", self.port)
    }

    fn client(&self, db: &str) -> Command {
        let mut c = Command::new(
            find("mariadb", &["/usr/bin"])
                .or_else(|| find("mysql", &["/usr/bin"]))
                .expect(INSTALL_HELP),
        );
        c.arg("--no-defaults")
            .args(&self.client_args)
            .arg("--batch")
            .arg("--skip-column-names");
        if !db.is_empty() {
            c.arg(db);
        }
        c
    }

    fn try_sql(&self, db: &str, sql: &str) -> std::io::Result<Output> {
        self.client(db)
            .arg("-e")
            .arg(sql)
            .stderr(Stdio::piped())
            .output()
    }

    /// Run SQL in a client that keeps going in the background (e.g. a long transaction).
    pub fn background(&self, db: &str, sql: &str) -> std::process::Child {
        self.client(db)
            .arg("-e")
            .arg(sql)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the mariadb client runs")
    }

    /// A `SELECT COUNT(*)`'s answer, or None while the server or the table is not there.
    pub fn try_count(&self, db: &str, sql: &str) -> Option<usize> {
        let o = self.try_sql(db, sql).ok()?;
        if !o.status.success() {
            return None;
        }
        String::from_utf8_lossy(&o.stdout).trim().parse().ok()
    }

    /// Run SQL and return the client's result, failed or not.
    pub fn client_output(&self, db: &str, sql: &str) -> Output {
        self.try_sql(db, sql).expect("the mariadb client runs")
    }

    /// Run SQL; panics with the server's message on failure.
    pub fn sql(&self, db: &str, sql: &str) -> String {
        let out = self.try_sql(db, sql).expect("the mariadb client runs");
        assert!(
            out.status.success(),
            "SQL failed: {}\n{sql}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Run a file of SQL through the client, as a DBA would. Returns the client's result.
    pub fn run_file(&self, db: &str, file: &Path) -> Output {
        let input = std::fs::File::open(file).expect("the SQL file opens");
        self.client(db)
            .stdin(input)
            .stderr(Stdio::piped())
            .output()
            .expect("the mariadb client runs")
    }

    /// A new empty database for one test.
    pub fn database(&self, prefix: &str) -> String {
        let name = format!(
            "{prefix}_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        );
        self.sql(
            "",
            &format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"),
        );
        name
    }

    pub fn url(&self, db: &str) -> String {
        format!("{}/{db}{}", self.url_base, self.url_query)
    }

    /// The server's own `SHOW CREATE TABLE` of every table, without AUTO_INCREMENT counters.
    pub fn show_create_all(&self, db: &str) -> Vec<String> {
        let tables = self.sql(db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME");
        tables
            .lines()
            .map(|t| {
                // --batch escapes names: undo it, then quote for SQL.
                let name = t
                    .replace("\\n", "\n")
                    .replace("\\t", "\t")
                    .replace("\\\\", "\\")
                    .replace('`', "``");
                // The server qualifies a sequence function's sequence with the database's own
                // name (`nextval(`db`.`s`)`): left out, so two databases compare.
                let out = self
                    .sql(db, &format!("SHOW CREATE TABLE `{name}`"))
                    .replace(&format!("`{db}`."), "");
                out.split(' ')
                    .filter(|w| !w.starts_with("AUTO_INCREMENT="))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// `mariadb-dump --no-data --routines --events` of a database (triggers are dumped by
    /// default), as a file in `dir`: the whole schema, as the runbooks back it up.
    pub fn dump(&self, db: &str, dir: &Path) -> PathBuf {
        let options = ["--no-data", "--skip-dump-date", "--routines", "--events"];
        self.dump_with(db, dir, &options)
    }

    /// `mariadb-dump` of a database with the given options, as a file in `dir`.
    pub fn dump_with(&self, db: &str, dir: &Path, options: &[&str]) -> PathBuf {
        let dumper = find("mariadb-dump", &["/usr/bin"])
            .or_else(|| find("mysqldump", &["/usr/bin"]))
            .expect(INSTALL_HELP);
        let out = Command::new(dumper)
            .arg("--no-defaults")
            .args(&self.client_args)
            .args(options)
            .arg(db)
            .output()
            .expect("mariadb-dump runs");
        assert!(
            out.status.success(),
            "mariadb-dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = dir.join(format!("{db}.dump.sql"));
        std::fs::write(&path, out.stdout).unwrap();
        path
    }
}

/// The start of most apply tests: a plan from `desired` DDL against `url`, written to
/// `dir/p.yaml`, and approved.
pub fn approved_plan(dir: &Path, url: &str, desired: &str) -> PathBuf {
    approved_plan_with(dir, url, desired, &[])
}

/// The same, with more `canon plan` options (e.g. `--osc-min-rows N`).
pub fn approved_plan_with(dir: &Path, url: &str, desired: &str, options: &[&str]) -> PathBuf {
    let want = dir.join("want.sql");
    std::fs::write(&want, desired).unwrap();
    let plan = dir.join("p.yaml");
    let (w, p) = (want.to_str().unwrap(), plan.to_str().unwrap());
    let mut args = vec!["plan", "--schema", w, "--target", url, "--out", p];
    args.extend(options);
    let o = canon(&args);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = canon(&["approve", p, "--by", "ana@dba"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    plan
}

/// Every `canon show --format`.
pub const SHOW_FORMATS: [&str; 7] = [
    "text",
    "sql",
    "markdown",
    "json",
    "yaml",
    "rollback-sql",
    "html",
];

/// Run the canon binary.
pub fn canon(args: &[&str]) -> Output {
    canon_env(args, &[])
}

/// The canon binary cargo built for these tests (or, for the benchmark example, beside it).
pub fn canon_binary() -> PathBuf {
    match option_env!("CARGO_BIN_EXE_canon") {
        Some(p) => PathBuf::from(p),
        None => std::env::current_exe()
            .ok()
            .and_then(|p| Some(p.parent()?.parent()?.join("canon")))
            .expect("the canon binary beside this one"),
    }
}

pub fn canon_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(canon_binary());
    c.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for k in [
        "DB_HOST",
        "DB_PORT",
        "DB_USER",
        "DB_PASSWORD",
        "DB_NAME",
        "DB_SOCKET",
        "DB_TIMEOUT",
        "NO_COLOR",
    ] {
        c.env_remove(k);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("canon runs")
}

pub fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
