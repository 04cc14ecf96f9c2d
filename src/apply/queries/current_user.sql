-- Who the server says the connected user is (user@host).
SELECT CURRENT_USER()
