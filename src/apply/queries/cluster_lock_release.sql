-- Release canon's cluster-wide apply lock, if this session holds it.
DELETE FROM {history}
WHERE id = 0 AND detail = CONCAT('node=', @@wsrep_node_name, ' connection=', CONNECTION_ID())
