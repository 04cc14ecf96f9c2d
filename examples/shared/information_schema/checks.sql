-- MariaDB: LEVEL tells column checks (kept on the column) from table checks.
SELECT TABLE_NAME AS table_name,
       CONSTRAINT_NAME AS name,
       LEVEL AS level,
       CHECK_CLAUSE AS clause
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = ?
