-- Who holds canon's apply lock: the connection, and its user and host where visible.
SELECT p.ID AS id, p.USER AS user, p.HOST AS host, p.TIME AS secs
FROM information_schema.PROCESSLIST p
WHERE p.ID = IS_USED_LOCK(?)
