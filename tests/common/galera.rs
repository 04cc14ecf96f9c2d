//! A throwaway 3-node MariaDB Galera cluster (Debian's `galera-4`) for one test binary: each
//! node a throwaway server of its own (client port, socket, datadir) plus its own group
//! communication (gcomm), IST and SST ports, all on 127.0.0.1. Node 1 bootstraps the cluster
//! (`--wsrep-new-cluster`); nodes 2 and 3 join it by a full state transfer (rsync SST). Each
//! node's watchdog stops it when the test process exits.

use super::{free_port, install_datadir, server_args, temp_dir, Server};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

pub const PROVIDER: &str = "/usr/lib/galera/libgalera_smm.so";

const INSTALL_HELP: &str = "the Galera tests need Debian's galera-4 (libgalera_smm.so) and \
rsync for state transfers: `sudo apt-get install -y galera-4 rsync` (./scripts/test does this)";

pub struct Cluster {
    pub nodes: Vec<Server>,
    /// Seconds from the first install to the last node synced.
    pub started_in: f64,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

/// The test binary's cluster, started on first use.
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(Cluster::start)
}

/// The ports one node listens on besides its client port.
struct Ports {
    client: u16,
    gcomm: u16,
    ist: u16,
    sst: u16,
}

/// Each node runs as this user. The rsync daemon of an SST started by root drops to
/// `nobody` and could not write a root-owned datadir, so under root the nodes run as
/// `nobody` and own their directories.
fn node_user() -> String {
    match super::current_user().as_str() {
        "root" => "nobody".into(),
        u => u.to_string(),
    }
}

fn chown(dir: &Path, user: &str) {
    let ok = Command::new("chown")
        .arg("-R")
        .arg(user)
        .arg(dir)
        .status()
        .expect("chown runs");
    assert!(ok.success(), "chown -R {user} {}", dir.display());
}

impl Cluster {
    fn start() -> Cluster {
        assert!(Path::new(PROVIDER).is_file(), "{INSTALL_HELP}");
        let clock = Instant::now();
        let user = node_user();
        let ports: Vec<Ports> = (0..3)
            .map(|_| Ports {
                client: free_port(),
                gcomm: free_port(),
                ist: free_port(),
                sst: free_port(),
            })
            .collect();
        let members = ports
            .iter()
            .map(|p| format!("127.0.0.1:{}", p.gcomm))
            .collect::<Vec<_>>()
            .join(",");
        let dirs: Vec<PathBuf> = (0..3).map(|_| temp_dir("canon-test-galera-")).collect();
        // Only the first node needs system tables: the joiners receive them by SST.
        install_datadir(&dirs[0].join("data"), &user);
        for d in &dirs[1..] {
            std::fs::create_dir_all(d.join("data")).expect("a joiner's datadir");
        }
        let mut nodes = Vec::new();
        for (i, (dir, p)) in dirs.iter().zip(&ports).enumerate() {
            let mut args = server_args(dir, p.client, &user);
            args.extend(galera_args(i + 1, p, &members));
            if i == 0 {
                args.push("--wsrep-new-cluster".into());
            }
            if user != super::current_user() {
                chown(dir, &user);
            }
            let node = Server::local(dir, p.client, &args);
            if i == 0 {
                // Joiners need a primary component to join.
                node.wait_synced();
            }
            nodes.push(node);
        }
        for n in &nodes {
            n.wait_synced();
        }
        // DDL and account changes replicate (TOI): made once, they exist on every node.
        nodes[0].sql(
            "",
            "CREATE USER 'canon'@'127.0.0.1' IDENTIFIED BY 'canon-test-pw'; \
             GRANT ALL ON *.* TO 'canon'@'127.0.0.1'",
        );
        Cluster {
            nodes,
            started_in: clock.elapsed().as_secs_f64(),
        }
    }
}

impl Cluster {
    /// A new empty database for one test, there on every node.
    pub fn database(&self, prefix: &str) -> String {
        let db = self.nodes[0].database(prefix);
        self.settle();
        db
    }

    /// Wait until every node has applied what any node committed so far: a node returns
    /// from DDL before the others have run it.
    pub fn settle(&self) {
        for n in &self.nodes {
            n.sql("", "SET SESSION wsrep_sync_wait = 15; SELECT 1");
        }
    }
}

fn galera_args(n: usize, p: &Ports, members: &str) -> Vec<String> {
    vec![
        "--wsrep-on=ON".into(),
        format!("--wsrep-provider={PROVIDER}"),
        format!("--wsrep-cluster-address=gcomm://{members}"),
        "--wsrep-cluster-name=canon-test".into(),
        format!("--wsrep-node-name=node{n}"),
        format!("--wsrep-node-address=127.0.0.1:{}", p.gcomm),
        // What `wsrep_incoming_addresses` lists: where clients reach each node.
        format!("--wsrep-node-incoming-address=127.0.0.1:{}", p.client),
        "--wsrep-sst-method=rsync".into(),
        format!("--wsrep-sst-receive-address=127.0.0.1:{}", p.sst),
        format!(
            "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:{};ist.recv_addr=127.0.0.1:{};gcache.size=32M",
            p.gcomm, p.ist
        ),
        // Galera replicates rows, and needs interleaved auto-increment locks.
        "--binlog-format=ROW".into(),
        "--innodb-autoinc-lock-mode=2".into(),
    ]
}

impl Server {
    /// `wsrep_local_state_comment`, or None while the node does not answer.
    pub fn wsrep_state(&self) -> Option<String> {
        let o = self
            .try_sql(
                "",
                "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS \
                 WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT'",
            )
            .ok()
            .filter(|o| o.status.success())?;
        Some(String::from_utf8_lossy(&o.stdout).trim().to_string())
    }

    /// Wait until this node is `Synced` with its cluster.
    pub fn wait_synced(&self) {
        self.wait_for("a Galera node to sync", 120, |n| {
            n.wsrep_state().as_deref() == Some("Synced")
        });
    }
}
