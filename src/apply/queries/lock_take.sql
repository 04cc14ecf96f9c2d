-- Take canon's apply lock for a database, waiting up to the given seconds.
SELECT GET_LOCK(?, ?)
