-- Open transactions older than the threshold: DDL waits for their metadata locks.
SELECT trx_mysql_thread_id AS id,
       TIMESTAMPDIFF(SECOND, trx_started, NOW()) AS secs,
       trx_query AS query
FROM information_schema.INNODB_TRX
WHERE trx_started <= NOW() - INTERVAL ? SECOND
  AND trx_mysql_thread_id <> CONNECTION_ID()
