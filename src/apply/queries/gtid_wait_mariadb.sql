-- On a replica (MariaDB): 0 once it applied the position, -1 after the seconds given.
SELECT MASTER_GTID_WAIT(?, ?)
