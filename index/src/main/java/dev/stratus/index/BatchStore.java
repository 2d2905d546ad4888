package dev.stratus.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The course of one store, the same on every index: instances grouped by series; each series locked (created
 * if missing) in (tenant, UID) order, its instances written, the series recounted; then each touched study
 * refreshed in (tenant, UID) order — one lock order for all writers, so that they never wait in a circle.
 * An implementation says how a series is locked, its instances written and a series or study recounted.
 */
public abstract class BatchStore {
    public record SeriesKey(String tenant, String seriesUid) {}

    private record StudyKey(String tenant, String studyUid) {}

    /** A locked series row: its study, and its updated_time (0 when this store just created it). */
    public record LockedSeries(String studyUid, long updatedTime) {}

    private static final Comparator<SeriesKey> SERIES_ORDER =
            Comparator.comparing(SeriesKey::tenant).thenComparing(SeriesKey::seriesUid);
    private static final Comparator<StudyKey> STUDY_ORDER =
            Comparator.comparing(StudyKey::tenant).thenComparing(StudyKey::studyUid);

    protected final List<StoreResult.Replaced> replaced = new ArrayList<>();
    protected final List<StoreResult.Conflict> conflicts = new ArrayList<>();
    /** The instances written (inserted or replaced), in the order written: one outbox row each. */
    protected final List<InstanceRecord> stored = new ArrayList<>();
    private final TreeMap<StudyKey, InstanceRecord> newestPerStudy = new TreeMap<>(STUDY_ORDER);

    // UIDs are keys (at most 64 characters): a malformed one is the caller's error, refused before anything is written.
    public static void checkUids(List<InstanceRecord> batch) {
        for (InstanceRecord r : batch) {
            for (String uid : new String[] {r.studyUid(), r.seriesUid(), r.sopInstanceUid()}) {
                if (uid == null || uid.isEmpty() || uid.length() > 64) {
                    throw new IllegalArgumentException("UIDs must be 1 to 64 characters: " + uid + " in " + r.sopInstanceUid());
                }
            }
        }
    }

    protected final StoreResult apply(List<InstanceRecord> batch) {
        TreeMap<SeriesKey, List<InstanceRecord>> bySeries = new TreeMap<>(SERIES_ORDER);
        for (InstanceRecord r : batch) {
            bySeries.computeIfAbsent(new SeriesKey(r.tenant().name(), r.seriesUid()), k -> new ArrayList<>()).add(r);
        }
        for (var e : bySeries.entrySet()) storeSeries(e.getKey(), e.getValue());
        for (var e : newestPerStudy.entrySet()) refreshStudy(e.getKey().tenant(), e.getKey().studyUid(), e.getValue());
        return new StoreResult(List.copyOf(replaced), List.copyOf(conflicts));
    }

    private void storeSeries(SeriesKey key, List<InstanceRecord> records) {
        LockedSeries series = lockSeriesCreating(key, records.getFirst().studyUid());
        List<InstanceRecord> ofThisStudy = new ArrayList<>(records.size());
        for (InstanceRecord r : records) {
            if (series.studyUid().equals(r.studyUid())) {
                ofThisStudy.add(r);
            } else {
                conflicts.add(new StoreResult.Conflict(r.sopInstanceUid(),
                        "series " + key.seriesUid() + " belongs to study " + series.studyUid() + ", not " + r.studyUid()));
            }
        }
        InstanceRecord newest = ofThisStudy.isEmpty() ? null : storeInstances(ofThisStudy);
        if (newest != null) {
            refreshSeries(key, series, newest);
            newestPerStudy.put(new StudyKey(key.tenant(), series.studyUid()), newest);
        } else if (series.updatedTime() == 0L) {
            removeEmptySeries(key); // created by this store, left empty by conflicts
        }
    }

    protected abstract LockedSeries lockSeriesCreating(SeriesKey key, String studyUid);

    /**
     * Inserts or replaces the instances of one locked series, all of its study (noting replaced blobs, and a
     * conflict for each one stored elsewhere); returns the last one stored, or null if none was.
     */
    protected abstract InstanceRecord storeInstances(List<InstanceRecord> records);

    protected abstract void refreshSeries(SeriesKey key, LockedSeries series, InstanceRecord newest);

    protected abstract void removeEmptySeries(SeriesKey key);

    protected abstract void refreshStudy(String tenant, String studyUid, InstanceRecord newest);
}
