-- The application's migration history (written by its ORM).
CREATE TABLE IF NOT EXISTS migrations (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  timestamp BIGINT NOT NULL,
  name VARCHAR(255) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
