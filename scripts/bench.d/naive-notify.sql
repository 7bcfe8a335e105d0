-- The naive bus: the baseline plus one NOTIFY in every transaction.
BEGIN;
INSERT INTO patrol.findings (id, grid_code, category, description, observed_at, reporter)
VALUES (gen_random_uuid(), 'dongting-03', 'environmental_sanitation', 'bench', now(), 'bench');
INSERT INTO mesh.events (event_id, topic, source, occurred_at, payload)
VALUES (gen_random_uuid(), 'finding.submitted', 'bench', now(), '{"grid_code":"dongting-03"}') RETURNING id AS event \gset
INSERT INTO mesh.deliveries (event_id, subscription_id, subscriber)
SELECT :event, id, subscriber FROM mesh.subscriptions WHERE state = 'active' AND topic_pattern = 'finding.submitted';
SELECT pg_notify('mesh_bench_a', '');
COMMIT;
