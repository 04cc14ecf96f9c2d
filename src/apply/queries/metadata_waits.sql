-- Sessions already queued on a metadata lock: a DDL step would queue behind them.
SELECT ID AS id, USER AS user, TIME AS secs, STATE AS state, INFO AS query
FROM information_schema.PROCESSLIST
WHERE STATE LIKE '%metadata lock%' AND DB = DATABASE()
