-- Each step waits this many seconds for a metadata lock, then fails instead of hanging.
SET SESSION lock_wait_timeout = ?
