-- Where the primary's binary log is (MariaDB): what its replicas must reach.
SELECT @@GLOBAL.gtid_binlog_pos
