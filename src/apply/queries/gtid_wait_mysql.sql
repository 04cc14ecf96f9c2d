-- On a replica (MySQL): 0 once it executed the set, 1 after the seconds given.
SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)
