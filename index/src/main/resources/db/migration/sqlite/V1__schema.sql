-- The index schema for SQLite (the embedded default). Every row carries its tenant; UIDs are keys within a tenant.
-- Declared types give SQLite's affinities (TEXT, INTEGER, BLOB); lengths are not enforced by SQLite, the
-- ingest path bounds values (HeaderExtract) as it does for the other backends. Text compares as binary, like
-- theirs; LIKE is made case-sensitive per connection (Vendor.SQLITE's URL options).

-- One row per study: patient and study attributes to match on, upper-cased person names, counts kept by
-- store and delete, and the returned attributes (Explicit VR Little Endian, UTF-8) in attrs.
CREATE TABLE study (
    tenant                   TEXT NOT NULL,
    study_uid                TEXT NOT NULL,
    patient_id               TEXT,
    issuer_of_patient_id     TEXT,
    patient_name             TEXT,
    patient_birth_date       TEXT,
    patient_sex              TEXT,
    study_date               TEXT,
    study_time               TEXT,
    accession_number         TEXT,
    study_id                 TEXT,
    referring_physician_name TEXT,
    study_description        TEXT,
    num_series               INTEGER NOT NULL,
    num_instances            INTEGER NOT NULL,
    modalities               TEXT,
    sop_classes              TEXT,
    updated_time             INTEGER NOT NULL,
    attrs                    BLOB NOT NULL,
    PRIMARY KEY (tenant, study_uid)
);
CREATE INDEX ix_study_patient_id ON study (tenant, patient_id);
CREATE INDEX ix_study_patient_name ON study (tenant, patient_name);
-- In the default order (newest first, unknown dates last: SQLite sorts NULL last in DESC), so that listing
-- studies reads the index in order.
CREATE INDEX ix_study_date ON study (tenant, study_date DESC, study_time DESC);
CREATE INDEX ix_study_accession ON study (tenant, accession_number);
CREATE INDEX ix_study_referring ON study (tenant, referring_physician_name);
CREATE INDEX ix_study_study_id ON study (tenant, study_id);

-- Components of person names (accents removed, upper case) for fuzzy matching by prefix.
CREATE TABLE person_name_token (
    tenant        TEXT NOT NULL,
    attribute_tag INTEGER NOT NULL,
    token         TEXT NOT NULL,
    study_uid     TEXT NOT NULL,
    PRIMARY KEY (tenant, attribute_tag, token, study_uid)
);
CREATE INDEX ix_person_name_token_study ON person_name_token (tenant, study_uid);

-- The series-level state row: updated_time (microseconds since the epoch) strictly increases on every change.
CREATE TABLE series (
    tenant             TEXT NOT NULL,
    series_uid         TEXT NOT NULL,
    study_uid          TEXT NOT NULL,
    modality           TEXT,
    series_number      INTEGER,
    series_description TEXT,
    pps_start_date     TEXT,
    pps_start_time     TEXT,
    num_instances      INTEGER NOT NULL,
    sop_classes        TEXT,
    updated_time       INTEGER NOT NULL,
    attrs              BLOB,
    PRIMARY KEY (tenant, series_uid)
);
CREATE INDEX ix_series_study ON series (tenant, study_uid, series_number);
CREATE INDEX ix_series_modality ON series (tenant, modality, study_uid);

CREATE TABLE instance (
    tenant              TEXT NOT NULL,
    sop_instance_uid    TEXT NOT NULL,
    series_uid          TEXT NOT NULL,
    study_uid           TEXT NOT NULL,
    sop_class_uid       TEXT,
    instance_number     INTEGER,
    transfer_syntax_uid TEXT,
    blob_key            TEXT NOT NULL,
    blob_size           INTEGER NOT NULL,
    attrs               BLOB,
    PRIMARY KEY (tenant, sop_instance_uid)
);
CREATE INDEX ix_instance_series ON instance (tenant, series_uid, instance_number);
CREATE INDEX ix_instance_study ON instance (tenant, study_uid, series_uid);
CREATE INDEX ix_instance_sop_class ON instance (tenant, sop_class_uid);

-- Tracks the series metadata document: flag_time is the series updated_time it was built from;
-- series_time copies the series' updated_time so that the pending query needs no join.
CREATE TABLE series_metadata (
    tenant            TEXT NOT NULL,
    series_uid        TEXT NOT NULL,
    study_uid         TEXT NOT NULL,
    series_time       INTEGER NOT NULL,
    flag_time         INTEGER,
    status            TEXT NOT NULL,
    retries           INTEGER NOT NULL,
    next_attempt_time INTEGER NOT NULL,
    lease_owner       TEXT,
    lease_expiry      INTEGER,
    document_key      TEXT,
    last_error        TEXT,
    PRIMARY KEY (tenant, series_uid)
);
CREATE INDEX ix_series_metadata_pending ON series_metadata (status, next_attempt_time);
