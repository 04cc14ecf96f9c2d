-- A Galera node's view of its cluster: size, primary or not, its own state, every member's
-- client address.
SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_cluster_status', 'wsrep_local_state_comment', 'wsrep_incoming_addresses')
