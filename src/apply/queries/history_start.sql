INSERT INTO {history}
  (plan_id, step_id, object, sql_text, started_at, outcome, detail, operator, canon_version)
VALUES (?, ?, ?, ?, NOW(6), ?, ?, ?, ?)
