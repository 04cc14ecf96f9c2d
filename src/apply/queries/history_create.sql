-- canon's journal of applied steps; step 0 records the backup taken before them.
CREATE TABLE IF NOT EXISTS {history} (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `plan_id` char(64) NOT NULL,
  `step_id` int unsigned NOT NULL,
  `object` varchar(512) NOT NULL,
  `sql_text` longtext NOT NULL,
  `started_at` datetime(6) NOT NULL,
  `ended_at` datetime(6) DEFAULT NULL,
  `outcome` varchar(16) NOT NULL,
  `detail` text DEFAULT NULL,
  `operator` varchar(255) NOT NULL,
  `canon_version` varchar(32) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `plan_step` (`plan_id`, `step_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
