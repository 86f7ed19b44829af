-- 0004_plans: each client carries a summary of his plan, kept by the store whenever his steps,
-- category, segment or last contact change: his earliest planned step, and plan_alert_at, the
-- time from which his plan needs fixing (no next step, a step later than the segment's cadence,
-- a decision window passing; NULL when it is in order). The agenda then reads only the clients
-- whose alert time has come, through an index, instead of every client. Filled for existing
-- clients by the migration's hook (migrate.c).
ALTER TABLE clients ADD COLUMN next_step_id BIGINT;
ALTER TABLE clients ADD COLUMN next_kind TEXT;
ALTER TABLE clients ADD COLUMN next_due BIGINT;
ALTER TABLE clients ADD COLUMN plan_alert_at BIGINT;
CREATE INDEX clients_plan_rep ON clients (owner_id, plan_alert_at);
CREATE INDEX clients_plan_all ON clients (plan_alert_at);
-- the team's planned steps by due time (the head's agenda, the step.due announcements)
CREATE INDEX next_steps_due ON next_steps (status, due_at);
-- calls from the PBX that the rep has not logged yet (few): the day page lists them
CREATE INDEX calls_unlogged ON calls (rep_id, started_at) WHERE logged = 0;
