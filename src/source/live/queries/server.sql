-- Who the server is, and the settings that change how DDL is read and stored.
SELECT VERSION() AS version,
       @@version_comment AS version_comment,
       @@lower_case_table_names AS lower_case_table_names,
       @@sql_mode AS sql_mode
