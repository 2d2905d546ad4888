-- One row per study and modality of its series, carrying the study's date and time (kept by Rollup.refreshStudy on
-- every store and delete), so that ModalitiesInStudy=X lists studies newest first by reading ix_study_modality_date
-- in order instead of walking all studies by date and probing their series (issue 20: 2,600 probes for PT).
CREATE TABLE study_modality (
    tenant     VARCHAR(64) COLLATE "C" NOT NULL,
    study_uid  VARCHAR(64) COLLATE "C" NOT NULL,
    modality   VARCHAR(16) COLLATE "C" NOT NULL,
    study_date VARCHAR(8)  COLLATE "C",
    study_time VARCHAR(32) COLLATE "C",
    PRIMARY KEY (tenant, study_uid, modality)
);
-- In the default order of study lists (newest first, unknown dates last, then the UID).
CREATE INDEX ix_study_modality_date ON study_modality
    (tenant, modality, study_date DESC NULLS LAST, study_time DESC NULLS LAST, study_uid);

INSERT INTO study_modality (tenant, study_uid, modality, study_date, study_time)
SELECT DISTINCT se.tenant, se.study_uid, se.modality, st.study_date, st.study_time
FROM series se JOIN study st ON st.tenant = se.tenant AND st.study_uid = se.study_uid
WHERE se.modality IS NOT NULL;
