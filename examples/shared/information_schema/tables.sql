-- The tables query canon sent when it read base tables from information_schema (the
-- baseline of examples/bench.rs); canon now asks only names, kinds and sizes.
-- CREATE_OPTIONS holds only what was given explicitly (row_format, stats_persistent, ...),
-- which is what SHOW CREATE TABLE prints; ROW_FORMAT holds the effective format.
SELECT TABLE_NAME AS name,
       TABLE_TYPE AS type,
       ENGINE AS engine,
       TABLE_COLLATION AS collation,
       CREATE_OPTIONS AS create_options,
       TABLE_COMMENT AS comment,
       TABLE_ROWS AS table_rows,
       DATA_LENGTH AS data_bytes,
       INDEX_LENGTH AS index_bytes
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ?
