-- Whether binary logging is on and trusts function creators: if not, creating functions and
-- triggers asks for more than the database's privileges.
SELECT @@GLOBAL.log_bin, @@GLOBAL.log_bin_trust_function_creators
