package dev.stratus.web.stow;

import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.web.DicomWebRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * The Store Instances Response Module (PS3.18 10.5.3): RetrieveURL, ReferencedSOPSequence and
 * FailedSOPSequence. Each failed item also carries the reason in words, in a private block
 * (creator "STRATUS", element (0009,xx01)), since the standard attributes hold only a code.
 */
final class StowResponse {
    static final int PrivateCreator = Tag.of(0x0009, 0x0010);
    static final int ReasonText = Tag.of(0x0009, 0x1001);
    static final String CREATOR = "STRATUS";

    /** Failed items listed at most: beyond, a count. 1,000 items are ~300 KB of JSON; a hostile body could fail every part. */
    static final int MAX_FAILED_ITEMS = 1_000;

    private final List<DataSet> referenced = new ArrayList<>();
    private final List<DataSet> failed = new ArrayList<>();
    private final List<String> studies = new ArrayList<>();
    private boolean warnings;
    private int omittedFailures;
    private int statusIfNoneStored = 409;

    void add(IngestOutcome outcome, DicomWebRequest req) {
        switch (outcome) {
            case IngestOutcome.Stored s -> {
                DataSet item = sopReference(s.sopClassUid(), s.sopInstanceUid());
                item.setString(Tag.RetrieveURL, VR.UR, req.instanceUrl(s.studyUid(), s.seriesUid(), s.sopInstanceUid()));
                if (s.warningReason() != null) {
                    item.setInt(Tag.WarningReason, VR.US, s.warningReason());
                    reason(item, s.warning());
                    warnings = true;
                }
                referenced.add(item);
                if (!studies.contains(s.studyUid())) studies.add(s.studyUid());
            }
            case IngestOutcome.Failed f -> {
                if (failed.size() < MAX_FAILED_ITEMS) {
                    failed.add(failure(f.sopClassUid(), f.sopInstanceUid(), f.reason(), f.message()));
                } else {
                    omittedFailures++;
                }
            }
        }
    }

    /**
     * The rest of the body was not read: a failed item saying why (always listed, after the others), and the
     * status to answer when nothing was stored (400 for a broken body, 413 for too many parts).
     */
    void stopped(String why, int statusIfNoneStored, int failureReason) {
        failed.add(failure(null, null, failureReason, why));
        this.statusIfNoneStored = statusIfNoneStored;
    }

    /** The storage was full: when nothing was stored, the answer is 507 Insufficient Storage (RFC 4918 11.5). */
    void insufficientStorage() {
        this.statusIfNoneStored = 507;
    }

    /** Failed instances beyond {@link #MAX_FAILED_ITEMS}, counted but not listed. */
    int omittedFailures() {
        return omittedFailures;
    }

    private static DataSet failure(String sopClass, String sop, int reason, String message) {
        DataSet item = sopReference(sopClass, sop);
        item.setInt(Tag.FailureReason, VR.US, reason);
        reason(item, message);
        return item;
    }

    private static DataSet sopReference(String sopClass, String sop) {
        DataSet item = new DataSet();
        item.setString(Tag.ReferencedSOPClassUID, VR.UI, sopClass == null ? "" : sopClass);
        item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, sop == null ? "" : sop);
        return item;
    }

    private static void reason(DataSet item, String text) {
        item.setString(PrivateCreator, VR.LO, CREATOR);
        item.setString(ReasonText, VR.LT, text);
    }

    /**
     * 200 all stored, 202 some failed or stored with warnings, none stored: 409, or 400 when the body broke off,
     * 413 when it held too many parts (PS3.18 10.5.3), 507 when the storage was full.
     */
    int status() {
        if (referenced.isEmpty()) return statusIfNoneStored;
        return failed.isEmpty() && !warnings ? 200 : 202;
    }

    DataSet toDataSet(DicomWebRequest req) {
        DataSet ds = new DataSet();
        if (req.study() != null) {
            ds.setString(Tag.RetrieveURL, VR.UR, req.studyUrl(req.study()));
        } else if (studies.size() == 1) {
            ds.setString(Tag.RetrieveURL, VR.UR, req.studyUrl(studies.getFirst()));
        }
        if (!failed.isEmpty()) ds.setSequence(Tag.FailedSOPSequence, failed);
        if (omittedFailures > 0) {
            reason(ds, omittedFailures + " more failed instances are not listed: the first " + MAX_FAILED_ITEMS + " are");
        }
        if (!referenced.isEmpty()) ds.setSequence(Tag.ReferencedSOPSequence, referenced);
        return ds;
    }
}
