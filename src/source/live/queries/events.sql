-- Events; a user sees them with the EVENT privilege on the database. Times as text, as stored.
SELECT EVENT_NAME AS name, EVENT_DEFINITION AS body, EVENT_TYPE AS type,
       CAST(EXECUTE_AT AS CHAR) AS execute_at, INTERVAL_VALUE AS interval_value,
       INTERVAL_FIELD AS interval_field, CAST(STARTS AS CHAR) AS starts,
       CAST(ENDS AS CHAR) AS ends, CAST(CREATED AS CHAR) AS created, STATUS AS status,
       ON_COMPLETION AS on_completion, EVENT_COMMENT AS comment, DEFINER AS definer,
       SQL_MODE AS sql_mode, CHARACTER_SET_CLIENT AS character_set_client,
       COLLATION_CONNECTION AS collation_connection, DATABASE_COLLATION AS database_collation
FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?
