package dev.stratus.archive;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Element;
import dev.stratus.codec.SequenceElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.ValueElement;
import dev.stratus.index.AttributeBlobs;
import dev.stratus.index.AttributeLevels;
import dev.stratus.index.HeaderExtract;
import dev.stratus.index.Index;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.SeriesRef;
import dev.stratus.index.SeriesState;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.QidoQueryParser;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A copied index's study and series rows made to answer as the source's do. A row takes its attributes from the
 * instance of its series (or study) stored last, and a copy stores in another order than the original stores did; so
 * where instances of one series disagree (two Institution Names, say) the copy's row may show the other instance's.
 * Each such row is mended by storing again, last, the instance whose attributes the source's row shows.
 */
final class RowAlignment {
    private final Index source, target;
    private final Function<StoredInstance, InstanceRecord> read;

    /** @param read the index row of a source instance, read again from its blob (null when it cannot be read) */
    RowAlignment(Index source, Index target, Function<StoredInstance, InstanceRecord> read) {
        this.source = source;
        this.target = target;
        this.read = read;
    }

    /** Series rows first, then study rows (mending a series may move its study's row); returns the rows mended. */
    long align() {
        long mended = 0;
        for (Level level : List.of(Level.SERIES, Level.STUDY)) {
            SeriesRef last = null;
            for (List<SeriesState> page; !(page = source.seriesAfter(last, IndexRebuild.BATCH)).isEmpty(); last = page.getLast().series()) {
                for (SeriesState s : page) if (mend(level, s.series())) mended++;
            }
        }
        return mended;
    }

    private boolean mend(Level level, SeriesRef ref) {
        DataSet wanted = row(source, level, ref);
        if (wanted == null || wanted.equals(row(target, level, ref))) return false;
        Map<String, DataSet> seriesRows = new HashMap<>(); // of the source, each asked once
        for (StoredInstance i : source.listInstances(ref.tenant(), ref.studyUid(), level == Level.SERIES ? ref.seriesUid() : null)) {
            InstanceRecord r = read.apply(i);
            if (r == null) continue;
            DataSet seriesRow = level == Level.SERIES ? wanted : seriesRows.computeIfAbsent(i.seriesUid(), uid -> row(source, Level.SERIES, seriesOf(i)));
            // the instance stored last must leave its series' row as the source has it, and give its study's
            if (!fits(seriesRow, HeaderExtract.seriesAttributes(r), AttributeLevels.SERIES)) continue;
            if (level == Level.STUDY && !fits(wanted, HeaderExtract.studyAttributes(r), AttributeLevels.STUDY)) continue;
            target.store(List.of(r)); // the same blob key: an update in place, and the row's newest instance now
            if (wanted.equals(row(target, level, ref))) return true;
        }
        return false;
    }

    private static SeriesRef seriesOf(StoredInstance i) {
        return new SeriesRef(i.tenant(), i.studyUid(), i.seriesUid());
    }

    /** The row as QIDO-RS answers it with includefield=all, or null. */
    private static DataSet row(Index index, Level level, SeriesRef ref) {
        Map<String, List<String>> params = level == Level.SERIES
                ? Map.of("StudyInstanceUID", List.of(ref.studyUid()), "SeriesInstanceUID", List.of(ref.seriesUid()), "includefield", List.of("all"))
                : Map.of("StudyInstanceUID", List.of(ref.studyUid()), "includefield", List.of("all"));
        List<DataSet> matches = index.search(ref.tenant(), QidoQueryParser.parse(level, null, null, params)).matches();
        return matches.isEmpty() ? null : matches.getFirst();
    }

    /** Whether the level's attributes as the index keeps them ({@code attrs}) are those of the row (absent and empty alike). */
    private static boolean fits(DataSet row, byte[] attrs, Set<Integer> levelTags) {
        if (row == null) return false;
        DataSet kept = AttributeBlobs.decode(attrs);
        for (int tag : levelTags) {
            if (tag == Tag.StudyInstanceUID || tag == Tag.SeriesInstanceUID) continue;
            Element a = row.get(tag), b = kept.get(tag);
            if (empty(a) ? !empty(b) : !a.equals(b)) return false;
        }
        return true;
    }

    private static boolean empty(Element e) {
        return e == null || e instanceof ValueElement v && v.length() == 0 || e instanceof SequenceElement s && s.items().isEmpty();
    }
}
