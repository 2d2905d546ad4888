-- The event outbox (docs/decisions/0003-event-outbox.md): when the index is opened with it on, every committed store
-- and delete inserts its rows here in the same transaction; a relay claims them (lease_expiry), sends them to
-- Kafka and deletes them. AUTOINCREMENT: ids are never reused, so consumers may deduplicate by id.
CREATE TABLE event_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT NOT NULL,
    tenant           TEXT NOT NULL,
    study_uid        TEXT NOT NULL,
    series_uid       TEXT,
    sop_instance_uid TEXT,
    sop_class_uid    TEXT,
    created_time     INTEGER NOT NULL,
    lease_expiry     INTEGER
);
