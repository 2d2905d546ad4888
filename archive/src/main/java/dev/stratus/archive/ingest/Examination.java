package dev.stratus.archive.ingest;

import dev.stratus.archive.DataSets;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.ParseBudget;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.TenantId;

/**
 * The examine step of the store path, a pure function of a parsed instance: valid, with what it is stored and
 * indexed under, or refused with a Failure Reason (PS3.18 10.5.3, PS3.4 B.2.3) and why in words.
 */
sealed interface Examination {
    /**
     * Values longer than this are not needed to index an instance: they are skipped on disk, but their lengths
     * are still checked, so a truncated object is refused rather than stored.
     */
    long HEADER_BULK_THRESHOLD = 64 * 1024;

    /**
     * Valid. {@code part10}: false when the object came without (complete) File Meta Information, which it gets
     * before it is stored; {@code warning}: stored with this warning (B007), or null.
     */
    record Valid(String studyUid, String seriesUid, String sopClassUid, String sopInstanceUid, TransferSyntax transferSyntax,
                 boolean part10, String warning, DataSet dataSet) implements Examination {
        /** The index record of this instance stored under {@code blobKey}, its data set in {@code ts}. */
        InstanceRecord record(TenantId tenant, String blobKey, long size, TransferSyntax ts) {
            return new InstanceRecord(tenant, studyUid, seriesUid, sopInstanceUid, sopClassUid, ts.uid(), blobKey, size,
                    DataSets.withoutBulkData(dataSet));
        }
    }

    record Refused(IngestOutcome.Failed failure) implements Examination {}

    /** How an instance is read for its examination: within {@code budget}, large values left on disk. */
    static ReadOptions reading(ParseBudget budget) {
        return ReadOptions.ALL.bulkDataOver(HEADER_BULK_THRESHOLD).within(budget);
    }

    /** Examines {@code parsed}; {@code expectedStudyUid}, when not null, must be its Study Instance UID. */
    static Examination of(DicomFile parsed, String expectedStudyUid) {
        DataSet ds = parsed.dataSet();
        String sopClass = ds.getString(Tag.SOPClassUID);
        String sop = ds.getString(Tag.SOPInstanceUID);
        String study = ds.getString(Tag.StudyInstanceUID);
        String series = ds.getString(Tag.SeriesInstanceUID);
        String problem = multiValued(ds, Tag.SOPClassUID, "SOPClassUID", Tag.SOPInstanceUID, "SOPInstanceUID",
                Tag.StudyInstanceUID, "StudyInstanceUID", Tag.SeriesInstanceUID, "SeriesInstanceUID");
        if (problem == null) problem = firstProblem(sopClass, "SOPClassUID", sop, "SOPInstanceUID", study, "StudyInstanceUID", series, "SeriesInstanceUID");
        if (problem != null) return refused(sopClass, sop, FailureReason.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, problem);
        if (expectedStudyUid != null && !expectedStudyUid.equals(study)) {
            return refused(sopClass, sop, FailureReason.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "StudyInstanceUID " + study + " does not match the study " + expectedStudyUid + " of the request URL");
        }
        String declaredTs = parsed.fileMeta().getString(Tag.TransferSyntaxUID);
        if (declaredTs != null && TransferSyntax.of(declaredTs) == null) {
            return refused(sopClass, sop, FailureReason.TRANSFER_SYNTAX_NOT_SUPPORTED,
                    "transfer syntax " + declaredTs + " is not one this archive can read");
        }
        String metaSop = parsed.fileMeta().getString(Tag.MediaStorageSOPInstanceUID);
        String warning = metaSop != null && !metaSop.equals(sop)
                ? "MediaStorageSOPInstanceUID " + metaSop + " in the file meta information differs from SOPInstanceUID" : null;
        return new Valid(study, series, sopClass, sop, parsed.transferSyntax(), declaredTs != null && parsed.hasPreamble(), warning, ds);
    }

    private static Refused refused(String sopClass, String sop, int reason, String message) {
        return new Refused(new IngestOutcome.Failed(sopClass, sop, reason, message));
    }

    /** An identifying UID with several values (VM 1 required): stored under its first, it would name another object. */
    private static String multiValued(DataSet ds, Object... tagAndName) {
        for (int i = 0; i < tagAndName.length; i += 2) {
            String[] values = ds.getStrings((Integer) tagAndName[i]);
            if (values.length > 1) {
                return tagAndName[i + 1] + " has " + values.length + " values ('" + String.join("\\", values) + "') where one is required";
            }
        }
        return null;
    }

    private static String firstProblem(String... valueAndName) {
        for (int i = 0; i < valueAndName.length; i += 2) {
            String value = valueAndName[i], name = valueAndName[i + 1];
            if (value == null) return name + " is missing";
            String p = Uids.problem(value);
            if (p != null) return name + " " + p;
        }
        return null;
    }
}
