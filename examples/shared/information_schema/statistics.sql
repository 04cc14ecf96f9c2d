SELECT TABLE_NAME AS table_name,
       INDEX_NAME AS name,
       NON_UNIQUE AS non_unique,
       SEQ_IN_INDEX AS seq,
       COLUMN_NAME AS column_name,
       SUB_PART AS sub_part,
       COLLATION AS direction,
       INDEX_TYPE AS index_type,
       INDEX_COMMENT AS comment,
       IGNORED AS ignored,
       NULL AS expression
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = ?
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
