-- The index schema for PostgreSQL. Every row carries its tenant; UIDs are keys within a tenant.
-- Text columns use the "C" collation so that comparisons and prefix LIKE behave (and use indexes) as on H2 and MySQL.

-- One row per study: patient and study attributes to match on, upper-cased person names, counts kept by
-- store and delete, and the returned attributes (Explicit VR Little Endian, UTF-8) in attrs.
CREATE TABLE study (
    tenant                   VARCHAR(64)   COLLATE "C" NOT NULL,
    study_uid                VARCHAR(64)   COLLATE "C" NOT NULL,
    patient_id               VARCHAR(255)  COLLATE "C",
    issuer_of_patient_id     VARCHAR(255)  COLLATE "C",
    patient_name             VARCHAR(255)  COLLATE "C",
    patient_birth_date       VARCHAR(8)    COLLATE "C",
    patient_sex              VARCHAR(16)   COLLATE "C",
    study_date               VARCHAR(8)    COLLATE "C",
    study_time               VARCHAR(32)   COLLATE "C",
    accession_number         VARCHAR(255)  COLLATE "C",
    study_id                 VARCHAR(255)  COLLATE "C",
    referring_physician_name VARCHAR(255)  COLLATE "C",
    study_description        VARCHAR(255)  COLLATE "C",
    num_series               INTEGER       NOT NULL,
    num_instances            INTEGER       NOT NULL,
    modalities               VARCHAR(1024) COLLATE "C",
    sop_classes              VARCHAR(4000) COLLATE "C",
    updated_time             BIGINT        NOT NULL,
    attrs                    BYTEA         NOT NULL,
    PRIMARY KEY (tenant, study_uid)
);
CREATE INDEX ix_study_patient_id ON study (tenant, patient_id);
CREATE INDEX ix_study_patient_name ON study (tenant, patient_name);
-- In the default order (newest first, unknown dates last), so that listing studies reads the index in order.
CREATE INDEX ix_study_date ON study (tenant, study_date DESC NULLS LAST, study_time DESC NULLS LAST);
CREATE INDEX ix_study_accession ON study (tenant, accession_number);
CREATE INDEX ix_study_referring ON study (tenant, referring_physician_name);
CREATE INDEX ix_study_study_id ON study (tenant, study_id);

-- Components of person names (accents removed, upper case) for fuzzy matching by prefix.
CREATE TABLE person_name_token (
    tenant        VARCHAR(64) COLLATE "C" NOT NULL,
    attribute_tag INTEGER     NOT NULL,
    token         VARCHAR(64) COLLATE "C" NOT NULL,
    study_uid     VARCHAR(64) COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant, attribute_tag, token, study_uid)
);
CREATE INDEX ix_person_name_token_study ON person_name_token (tenant, study_uid);

-- The series-level state row: updated_time (microseconds since the epoch) strictly increases on every change.
CREATE TABLE series (
    tenant             VARCHAR(64)   COLLATE "C" NOT NULL,
    series_uid         VARCHAR(64)   COLLATE "C" NOT NULL,
    study_uid          VARCHAR(64)   COLLATE "C" NOT NULL,
    modality           VARCHAR(16)   COLLATE "C",
    series_number      INTEGER,
    series_description VARCHAR(255)  COLLATE "C",
    pps_start_date     VARCHAR(8)    COLLATE "C",
    pps_start_time     VARCHAR(32)   COLLATE "C",
    num_instances      INTEGER       NOT NULL,
    sop_classes        VARCHAR(4000) COLLATE "C",
    updated_time       BIGINT        NOT NULL,
    attrs              BYTEA,
    PRIMARY KEY (tenant, series_uid)
);
CREATE INDEX ix_series_study ON series (tenant, study_uid, series_number);
CREATE INDEX ix_series_modality ON series (tenant, modality, study_uid);

CREATE TABLE instance (
    tenant              VARCHAR(64)   COLLATE "C" NOT NULL,
    sop_instance_uid    VARCHAR(64)   COLLATE "C" NOT NULL,
    series_uid          VARCHAR(64)   COLLATE "C" NOT NULL,
    study_uid           VARCHAR(64)   COLLATE "C" NOT NULL,
    sop_class_uid       VARCHAR(64)   COLLATE "C",
    instance_number     INTEGER,
    transfer_syntax_uid VARCHAR(64)   COLLATE "C",
    blob_key            VARCHAR(1024) COLLATE "C" NOT NULL,
    blob_size           BIGINT        NOT NULL,
    attrs               BYTEA,
    PRIMARY KEY (tenant, sop_instance_uid)
);
CREATE INDEX ix_instance_series ON instance (tenant, series_uid, instance_number);
CREATE INDEX ix_instance_study ON instance (tenant, study_uid, series_uid);
CREATE INDEX ix_instance_sop_class ON instance (tenant, sop_class_uid);

-- Tracks the series metadata document: flag_time is the series updated_time it was built from;
-- series_time copies the series' updated_time so that the pending query needs no join.
CREATE TABLE series_metadata (
    tenant            VARCHAR(64)   COLLATE "C" NOT NULL,
    series_uid        VARCHAR(64)   COLLATE "C" NOT NULL,
    study_uid         VARCHAR(64)   COLLATE "C" NOT NULL,
    series_time       BIGINT        NOT NULL,
    flag_time         BIGINT,
    status            VARCHAR(16)   COLLATE "C" NOT NULL,
    retries           INTEGER       NOT NULL,
    next_attempt_time BIGINT        NOT NULL,
    lease_owner       VARCHAR(255)  COLLATE "C",
    lease_expiry      BIGINT,
    document_key      VARCHAR(1024) COLLATE "C",
    last_error        VARCHAR(4000) COLLATE "C",
    PRIMARY KEY (tenant, series_uid)
);
CREATE INDEX ix_series_metadata_pending ON series_metadata (status, next_attempt_time);
