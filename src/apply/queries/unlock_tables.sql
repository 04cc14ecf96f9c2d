-- After a step that locked tables failed part-way (MySQL 8's trigger swap under LOCK TABLES):
-- the session gives the tables back before anything else runs on it.
UNLOCK TABLES
