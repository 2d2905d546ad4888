-- The event outbox (docs/decisions/0003-event-outbox.md): when the index is opened with it on, every committed store
-- and delete inserts its rows here in the same transaction; a relay claims them (lease_expiry, FOR UPDATE SKIP
-- LOCKED), sends them to Kafka and deletes them.
CREATE TABLE event_outbox (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             VARCHAR(32)  COLLATE "C" NOT NULL,
    tenant           VARCHAR(64)  COLLATE "C" NOT NULL,
    study_uid        VARCHAR(64)  COLLATE "C" NOT NULL,
    series_uid       VARCHAR(64)  COLLATE "C",
    sop_instance_uid VARCHAR(64)  COLLATE "C",
    sop_class_uid    VARCHAR(64)  COLLATE "C",
    created_time     BIGINT       NOT NULL,
    lease_expiry     BIGINT
);
