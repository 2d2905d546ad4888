-- The event outbox (docs/decisions/0003-event-outbox.md): when the index is opened with it on, every committed store
-- and delete inserts its rows here in the same transaction; a relay claims them (lease_expiry, FOR UPDATE SKIP
-- LOCKED), sends them to Kafka and deletes them.
CREATE TABLE event_outbox (
    id               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind             VARCHAR(32)  NOT NULL,
    tenant           VARCHAR(64)  NOT NULL,
    study_uid        VARCHAR(64)  NOT NULL,
    series_uid       VARCHAR(64),
    sop_instance_uid VARCHAR(64),
    sop_class_uid    VARCHAR(64),
    created_time     BIGINT       NOT NULL,
    lease_expiry     BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
