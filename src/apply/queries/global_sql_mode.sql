-- The server's default sql_mode: what an online schema change tool's sessions get.
SELECT @@GLOBAL.sql_mode
