-- MariaDB: whether a new Aria table gets page checksums when its DDL does not say.
SELECT @@global.aria_page_checksum AS aria_page_checksum
