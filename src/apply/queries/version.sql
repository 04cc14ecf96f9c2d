-- The server's version, which names its flavor.
SELECT VERSION()
