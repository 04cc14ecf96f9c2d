-- canon's cluster-wide apply lock: row 0 of the history table, which Galera replicates. A
-- second holder fails on the primary key (same node) or at certification (another node).
SET STATEMENT sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO') FOR
INSERT INTO {history}
  (id, plan_id, step_id, object, sql_text, started_at, outcome, detail, operator, canon_version)
VALUES (0, ?, 0, 'apply lock', '', NOW(6), 'lock',
  CONCAT('node=', @@wsrep_node_name, ' connection=', CONNECTION_ID()), ?, ?)
