-- Whether the server refuses writes (MariaDB and MySQL).
SELECT @@GLOBAL.read_only
