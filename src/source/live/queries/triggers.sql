-- Triggers in bulk (MariaDB 10.2+, MySQL 5.7+): a user sees those of the tables it has the TRIGGER privilege on.
SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS table_name, ACTION_TIMING AS timing,
       EVENT_MANIPULATION AS event, ACTION_ORDER AS action_order, ACTION_STATEMENT AS body,
       DEFINER AS definer, SQL_MODE AS sql_mode, CHARACTER_SET_CLIENT AS character_set_client,
       COLLATION_CONNECTION AS collation_connection, DATABASE_COLLATION AS database_collation
FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
