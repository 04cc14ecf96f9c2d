-- Whether scheduled events run (ON), are stopped (OFF) or cannot start (DISABLED).
SELECT @@GLOBAL.event_scheduler
