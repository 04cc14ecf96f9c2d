-- Procedures and functions; ROUTINE_DEFINITION is NULL to a user who is not the definer and may not read mysql.proc (MariaDB) or lacks SHOW_ROUTINE (MySQL).
SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS kind, DTD_IDENTIFIER AS returns,
       CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation, ROUTINE_DEFINITION AS body,
       IS_DETERMINISTIC AS is_deterministic, SQL_DATA_ACCESS AS data_access,
       SECURITY_TYPE AS security, ROUTINE_COMMENT AS comment, DEFINER AS definer,
       SQL_MODE AS sql_mode, CHARACTER_SET_CLIENT AS character_set_client,
       COLLATION_CONNECTION AS collation_connection, DATABASE_COLLATION AS database_collation
FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
