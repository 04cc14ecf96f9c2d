//! A primary and a replica with MariaDB GTID replication, both throwaway servers of this
//! machine (their own ports, sockets and data directories): the primary writes a binary log,
//! the replica follows it from the primary's current GTID position (`MASTER_USE_GTID =
//! slave_pos`), connecting over TCP as the harness's `canon` user. One pair per test binary.

use super::Server;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub struct Pair {
    pub primary: Server,
    pub replica: Server,
}

static PAIR: OnceLock<Pair> = OnceLock::new();

/// The test binary's primary and replica, started and connected on first use.
pub fn pair() -> &'static Pair {
    PAIR.get_or_init(|| {
        let primary = Server::throwaway(&[
            "--server-id=1",
            "--log-bin=primary-bin",
            "--binlog-format=ROW",
        ]);
        let replica = Server::throwaway(&["--server-id=2", "--log-bin=replica-bin"]);
        // Both servers made their own users at start: the replica starts at the primary's
        // position of now instead of replaying the primary's history.
        let position = primary.sql("", "SELECT @@GLOBAL.gtid_current_pos");
        replica.sql(
            "",
            &format!(
                "SET GLOBAL gtid_slave_pos = '{}'; \
                 CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = {}, \
                 MASTER_USER = 'canon', MASTER_PASSWORD = 'canon-test-pw', \
                 MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1; \
                 START SLAVE",
                position.trim(),
                primary.port
            ),
        );
        let pair = Pair { primary, replica };
        pair.wait_caught_up();
        pair
    })
}

impl Pair {
    /// Wait until the replica has applied everything the primary wrote so far.
    pub fn wait_caught_up(&self) {
        let position = self.primary.sql("", "SELECT @@GLOBAL.gtid_binlog_pos");
        let waited = self.replica.sql(
            "",
            &format!("SELECT MASTER_GTID_WAIT('{}', 60)", position.trim()),
        );
        assert_eq!(
            waited.trim(),
            "0",
            "the replica did not catch up within 60 s: {}",
            self.replica_status()
        );
    }

    /// `SHOW SLAVE STATUS` of the replica, one `name: value` a line, for failure messages.
    pub fn replica_status(&self) -> String {
        let out = self
            .replica
            .client("")
            .args(["--column-names", "-e", "SHOW SLAVE STATUS\\G"])
            .output()
            .expect("the mariadb client runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Replication restarted with this delay (`MASTER_DELAY`, seconds; 0 for none).
    pub fn set_delay(&self, secs: u32) {
        self.replica.sql(
            "",
            &format!("STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = {secs}; START SLAVE"),
        );
        self.wait_running();
    }

    /// Wait until both replication threads run again.
    pub fn wait_running(&self) {
        let start = Instant::now();
        loop {
            let status = self.replica_status();
            if status.contains("Slave_IO_Running: Yes") && status.contains("Slave_SQL_Running: Yes")
            {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "replication did not start: {status}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
