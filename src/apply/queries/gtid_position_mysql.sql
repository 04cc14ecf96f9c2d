-- Every transaction the primary executed (MySQL): what its replicas must reach.
SELECT @@GLOBAL.gtid_executed
