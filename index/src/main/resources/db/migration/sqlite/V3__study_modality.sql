-- One row per study and modality of its series, carrying the study's date and time (kept by Rollup.refreshStudy on
-- every store and delete), so that ModalitiesInStudy=X lists studies newest first from ix_study_modality_date instead
-- of walking all studies by date and probing their series (issue 20).
CREATE TABLE study_modality (
    tenant     TEXT NOT NULL,
    study_uid  TEXT NOT NULL,
    modality   TEXT NOT NULL,
    study_date TEXT,
    study_time TEXT,
    PRIMARY KEY (tenant, study_uid, modality)
);
CREATE INDEX ix_study_modality_date ON study_modality (tenant, modality, study_date DESC, study_time DESC, study_uid);

INSERT INTO study_modality (tenant, study_uid, modality, study_date, study_time)
SELECT DISTINCT se.tenant, se.study_uid, se.modality, st.study_date, st.study_time
FROM series se JOIN study st ON st.tenant = se.tenant AND st.study_uid = se.study_uid
WHERE se.modality IS NOT NULL;
