-- The connected user's privileges.
SHOW GRANTS
