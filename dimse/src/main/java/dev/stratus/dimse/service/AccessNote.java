package dev.stratus.dimse.service;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.Uids;

/**
 * What a service tells the audit trail about the request it handled: the study, series and instance it concerned,
 * each only when it is one valid UID (a list, a wildcard or anything else in a key is not copied: it could hold
 * anything, and no other attribute of an identifier ever goes into the trail).
 */
public final class AccessNote {
    private String study, series, instance;

    public void uids(String study, String series, String instance) {
        this.study = uid(study);
        this.series = uid(series);
        this.instance = uid(instance);
    }

    /** The UID keys of a C-FIND, C-MOVE or C-GET identifier. */
    public void keys(DataSet identifier) {
        uids(single(identifier, Tag.StudyInstanceUID), single(identifier, Tag.SeriesInstanceUID), single(identifier, Tag.SOPInstanceUID));
    }

    private static String single(DataSet identifier, int tag) {
        String[] values = identifier.getStrings(tag);
        return values.length == 1 ? values[0] : null;
    }

    public String study() { return study; }

    public String series() { return series; }

    public String instance() { return instance; }

    private static String uid(String value) {
        return value != null && Uids.isValid(value) ? value : null;
    }
}
