-- Whether the server refuses writes even from SUPER users (MySQL only).
SELECT @@GLOBAL.super_read_only
