SELECT step_id AS step_id, outcome AS outcome
FROM {history}
WHERE plan_id = ? AND step_id > 0
ORDER BY id
