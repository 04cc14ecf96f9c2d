-- Who the server is, the settings that change how DDL is read and stored, and who reads
-- (the definer `programs.definer: CURRENT_USER` pins).
SELECT VERSION() AS version,
       @@version_comment AS version_comment,
       @@lower_case_table_names AS lower_case_table_names,
       @@sql_mode AS sql_mode,
       CURRENT_USER() AS reader
