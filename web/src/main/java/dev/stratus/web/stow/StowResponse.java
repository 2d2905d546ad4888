package dev.stratus.web.stow;

import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.codec.DataSet;
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
    static final int RetrieveURL = 0x00081190;
    static final int FailedSOPSequence = 0x00081198;
    static final int ReferencedSOPSequence = 0x00081199;
    static final int ReferencedSOPClassUID = 0x00081150;
    static final int ReferencedSOPInstanceUID = 0x00081155;
    static final int WarningReason = 0x00081196;
    static final int FailureReason = 0x00081197;
    static final int PrivateCreator = 0x00090010;
    static final int ReasonText = 0x00091001;
    static final String CREATOR = "STRATUS";

    private final List<DataSet> referenced = new ArrayList<>();
    private final List<DataSet> failed = new ArrayList<>();
    private final List<String> studies = new ArrayList<>();
    private boolean warnings;

    void add(IngestOutcome outcome, DicomWebRequest req) {
        switch (outcome) {
            case IngestOutcome.Stored s -> {
                DataSet item = sopReference(s.sopClassUid(), s.sopInstanceUid());
                item.setString(RetrieveURL, VR.UR, req.instanceUrl(s.studyUid(), s.seriesUid(), s.sopInstanceUid()));
                if (s.warningReason() != null) {
                    item.setInt(WarningReason, VR.US, s.warningReason());
                    reason(item, s.warning());
                    warnings = true;
                }
                referenced.add(item);
                if (!studies.contains(s.studyUid())) studies.add(s.studyUid());
            }
            case IngestOutcome.Failed f -> {
                DataSet item = sopReference(f.sopClassUid(), f.sopInstanceUid());
                item.setInt(FailureReason, VR.US, f.reason());
                reason(item, f.message());
                failed.add(item);
            }
        }
    }

    private static DataSet sopReference(String sopClass, String sop) {
        DataSet item = new DataSet();
        item.setString(ReferencedSOPClassUID, VR.UI, sopClass == null ? "" : sopClass);
        item.setString(ReferencedSOPInstanceUID, VR.UI, sop == null ? "" : sop);
        return item;
    }

    private static void reason(DataSet item, String text) {
        item.setString(PrivateCreator, VR.LO, CREATOR);
        item.setString(ReasonText, VR.LT, text);
    }

    /** 200 all stored, 202 some failed or stored with warnings, 409 none stored (PS3.18 10.5.3). */
    int status() {
        if (referenced.isEmpty()) return 409;
        return failed.isEmpty() && !warnings ? 200 : 202;
    }

    DataSet toDataSet(DicomWebRequest req) {
        DataSet ds = new DataSet();
        if (req.study() != null) {
            ds.setString(RetrieveURL, VR.UR, req.studyUrl(req.study()));
        } else if (studies.size() == 1) {
            ds.setString(RetrieveURL, VR.UR, req.studyUrl(studies.getFirst()));
        }
        if (!failed.isEmpty()) ds.setSequence(FailedSOPSequence, failed);
        if (!referenced.isEmpty()) ds.setSequence(ReferencedSOPSequence, referenced);
        return ds;
    }
}
