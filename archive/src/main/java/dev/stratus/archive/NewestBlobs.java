package dev.stratus.archive;

import dev.stratus.index.Index;
import dev.stratus.index.InstanceRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest blob of each series and study a reindex walks, stored again after the others. A study or series row
 * takes its attributes from the instance stored last; where a series' instances disagree (two Institution Names, say)
 * the walk's order would pick another than the archive had. A blob is written just before its instance is stored, so the
 * newest blob stands for the instance stored last. A store walk lists one folder (study, series) at a time, so one
 * series and one study are open at once.
 */
final class NewestBlobs {
    private record Seen(InstanceRecord record, Instant modified) {}

    private String study, series; // tenant/study and tenant/study/series of the blobs being walked
    private Seen newestOfSeries, newestOfStudy;
    private InstanceRecord lastOfSeries;
    private int seriesOfStudy;
    private final List<InstanceRecord> seriesLast = new ArrayList<>(), studyLast = new ArrayList<>();

    void seen(InstanceRecord r, Instant modified) {
        String st = r.tenant().name() + "/" + r.studyUid(), se = st + "/" + r.seriesUid();
        if (!se.equals(series)) {
            seriesEnded();
            if (!st.equals(study)) {
                studyEnded();
                study = st;
                seriesOfStudy = 0;
            }
            series = se;
            seriesOfStudy++;
        }
        if (newestOfSeries == null || modified.isAfter(newestOfSeries.modified())) newestOfSeries = new Seen(r, modified);
        if (newestOfStudy == null || modified.isAfter(newestOfStudy.modified())) newestOfStudy = new Seen(r, modified);
        lastOfSeries = r;
    }

    void walkEnded() {
        seriesEnded();
        studyEnded();
    }

    private void seriesEnded() {
        if (newestOfSeries != null && newestOfSeries.record() != lastOfSeries) seriesLast.add(newestOfSeries.record());
        newestOfSeries = null;
    }

    private void studyEnded() {
        // a batch settles a study's row by its series in UID order, not by the walk's: with two series, always again
        if (newestOfStudy != null && seriesOfStudy > 1) studyLast.add(newestOfStudy.record());
        newestOfStudy = null;
    }

    /**
     * Stores the newest instances of the series and studies walked to the end, after their other instances were stored:
     * series first, then studies (one instance each, so that each is its study's newest). Returns how many.
     */
    long storeLast(Index target) {
        long stored = seriesLast.size() + studyLast.size();
        if (!seriesLast.isEmpty()) target.store(List.copyOf(seriesLast)); // the same blob keys: updates in place
        if (!studyLast.isEmpty()) target.store(List.copyOf(studyLast));
        seriesLast.clear();
        studyLast.clear();
        return stored;
    }
}
