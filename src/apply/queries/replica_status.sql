-- A configured replication source makes the server a replica, running or not.
SHOW REPLICA STATUS
