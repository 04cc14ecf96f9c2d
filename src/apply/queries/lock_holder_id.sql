-- The connection holding canon's apply lock, when PROCESSLIST does not show it.
SELECT IS_USED_LOCK(?)
