SELECT TABLE_NAME AS table_name,
       COLUMN_NAME AS name,
       COLUMN_DEFAULT AS column_default,
       IS_NULLABLE AS is_nullable,
       COLUMN_TYPE AS column_type,
       CHARACTER_SET_NAME AS charset,
       COLLATION_NAME AS collation,
       EXTRA AS extra,
       COLUMN_COMMENT AS comment,
       GENERATION_EXPRESSION AS generation_expression
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = ?
ORDER BY TABLE_NAME, ORDINAL_POSITION
