-- Remove a stale cluster-wide apply lock: only the row that was found stale.
DELETE FROM {history} WHERE id = 0 AND detail = ?
