-- Which tables there are, of which kind, and information_schema's estimate of their size:
-- everything else about a base table is read from its SHOW CREATE TABLE.
SELECT TABLE_NAME AS name,
       TABLE_TYPE AS type,
       TABLE_ROWS AS table_rows,
       DATA_LENGTH AS data_bytes,
       INDEX_LENGTH AS index_bytes
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = ?
