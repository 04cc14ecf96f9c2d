-- Whether this server is a Galera node, its name and how it applies DDL (works on MySQL too:
-- no rows there).
SHOW GLOBAL VARIABLES WHERE Variable_name IN ('wsrep_on', 'wsrep_node_name', 'wsrep_OSU_method')
