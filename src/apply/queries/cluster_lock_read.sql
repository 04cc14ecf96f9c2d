-- Who holds canon's cluster-wide apply lock, since when.
SELECT detail AS detail, operator AS operator, CAST(started_at AS CHAR) AS since
FROM {history}
WHERE id = 0
