//! canon on a real 3-node MariaDB Galera cluster (Debian's galera-4) started by the harness:
//! cluster detection, the cluster-wide apply lock, and convergence of every node.

mod common;

use common::galera::cluster;

#[test]
fn the_cluster_starts_with_three_synced_nodes() {
    let c = cluster();
    eprintln!("galera cluster started in {:.1} s", c.started_in);
    for n in &c.nodes {
        assert_eq!(n.wsrep_state().as_deref(), Some("Synced"));
    }
    let size = c.nodes[2].sql("", "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_CLUSTER_SIZE'");
    assert_eq!(size.trim(), "3");
}
