-- Jobs moved from Quartz.NET to Hangfire (schema "hangfire", created by Hangfire.PostgreSql itself). Quartz's
-- tables go; a run that was queued under Quartz has no Hangfire job yet (job_id NULL), and the first start after
-- the upgrade enqueues it again (ImportWatchdog).
DROP TABLE IF EXISTS qrtz_fired_triggers, qrtz_paused_trigger_grps, qrtz_scheduler_state, qrtz_locks, qrtz_simple_triggers,
    qrtz_simprop_triggers, qrtz_cron_triggers, qrtz_blob_triggers, qrtz_triggers, qrtz_job_details, qrtz_calendars CASCADE;

ALTER TABLE import_runs ADD COLUMN job_id text;
