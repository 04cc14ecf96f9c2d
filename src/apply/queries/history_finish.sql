UPDATE {history} SET ended_at = NOW(6), outcome = ?, detail = COALESCE(?, detail) WHERE id = ?
