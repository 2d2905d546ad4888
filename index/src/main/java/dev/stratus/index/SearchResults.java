package dev.stratus.index;

import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Element;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.Match;
import dev.stratus.index.query.QidoQuery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds each result of a search (PS3.18 10.6.3.3): the level's default attributes, the matching keys and
 * includefield attributes (or all with includefield=all), the computed counts, and the parents' UIDs. Study
 * attributes come with series and instances searched across studies, series attributes with instances
 * searched across series. Attributes of levels below the searched one are never returned.
 */
public final class SearchResults {
    /**
     * What a backend hands over for one match: the rows of its level and parents as stored (attribute
     * blobs undecoded; series and instance fields null above their level).
     */
    public record Row(String studyUid, byte[] studyAttrs, String modalities, String sopClasses, Integer numSeries,
                      Integer numStudyInstances, String seriesUid, byte[] seriesAttrs, Integer numSeriesInstances,
                      byte[] instanceAttrs, String sopInstanceUid, String sopClassUid) {}

    private final QidoQuery q;
    private final Set<Integer> requested = new HashSet<>();
    private final Map<String, DataSet> studies = new HashMap<>();
    private final Map<String, DataSet> series = new HashMap<>();

    public SearchResults(QidoQuery q) {
        this.q = q;
        requested.addAll(q.includeFields());
        for (Match m : q.matches()) requested.add(m.tag());
    }

    public List<DataSet> build(List<Row> rows) {
        List<DataSet> out = new ArrayList<>(rows.size());
        for (Row r : rows) out.add(build(r));
        return out;
    }

    private DataSet build(Row r) {
        DataSet out = new DataSet();
        Level level = q.level();
        String studyUid = r.studyUid();
        DataSet studyAttrs = studies.computeIfAbsent(studyUid, k -> AttributeBlobs.decode(r.studyAttrs()));
        boolean utf8 = copy(out, studyAttrs, Level.STUDY);
        if (wholeLevel(Level.STUDY) || requested.contains(AttributeLevels.MODALITIES_IN_STUDY)) {
            putStrings(out, AttributeLevels.MODALITIES_IN_STUDY, VR.CS, r.modalities());
        }
        if (level == Level.STUDY || requested.contains(AttributeLevels.SOP_CLASSES_IN_STUDY) || q.includeAll() && wholeLevel(Level.STUDY)) {
            putStrings(out, AttributeLevels.SOP_CLASSES_IN_STUDY, VR.UI, r.sopClasses());
        }
        putCount(out, AttributeLevels.NUMBER_OF_STUDY_RELATED_SERIES, r.numSeries(), Level.STUDY);
        putCount(out, AttributeLevels.NUMBER_OF_STUDY_RELATED_INSTANCES, r.numStudyInstances(), Level.STUDY);
        out.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        if (level != Level.STUDY) {
            String seriesUid = r.seriesUid();
            DataSet seriesAttrs = series.computeIfAbsent(seriesUid, k -> AttributeBlobs.decode(r.seriesAttrs()));
            utf8 |= copy(out, seriesAttrs, Level.SERIES);
            putCount(out, AttributeLevels.NUMBER_OF_SERIES_RELATED_INSTANCES, r.numSeriesInstances(), Level.SERIES);
            out.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        }
        if (level == Level.INSTANCE) {
            utf8 |= copy(out, AttributeBlobs.decode(r.instanceAttrs()), Level.INSTANCE);
            out.setString(Tag.SOPInstanceUID, VR.UI, r.sopInstanceUid());
            if (r.sopClassUid() != null) out.setString(Tag.SOPClassUID, VR.UI, r.sopClassUid());
        }
        if (wanted(AttributeLevels.INSTANCE_AVAILABILITY, Level.STUDY) || level == Level.INSTANCE) {
            out.setString(AttributeLevels.INSTANCE_AVAILABILITY, VR.CS, "ONLINE"); // everything the index lists is stored online
        }
        if (utf8) out.setString(Tag.SpecificCharacterSet, VR.CS, AttributeBlobs.UTF_8);
        return out;
    }

    /** Whether a level's attributes are returned in full (defaults or all): the searched level, or a parent the URL leaves open. */
    private boolean wholeLevel(Level l) {
        if (l == q.level()) return true;
        return l == Level.STUDY ? q.studyUid() == null : q.seriesUid() == null;
    }

    private boolean wanted(int tag, Level l) {
        if (requested.contains(tag) && AttributeLevels.levelOf(tag) == l) return true;
        return wholeLevel(l) && (AttributeLevels.defaults(l).contains(tag) || q.includeAll());
    }

    /** Copies the wanted attributes of one level, leaving required and requested ones empty when absent. */
    private boolean copy(DataSet out, DataSet attrs, Level l) {
        boolean utf8 = attrs.contains(Tag.SpecificCharacterSet);
        for (Element e : attrs) {
            int tag = e.tag();
            if (tag == Tag.SpecificCharacterSet || !wanted(tag, l)) continue;
            out.put(e);
            int creator = Tag.privateCreatorOf(tag);
            if (creator != -1 && attrs.get(creator) != null) out.put(attrs.get(creator));
        }
        Set<Integer> mustHave = new HashSet<>();
        for (int tag : requested) if (AttributeLevels.levelOf(tag) == l) mustHave.add(tag);
        if (wholeLevel(l)) {
            for (int tag : AttributeLevels.REQUIRED) if (AttributeLevels.levelOf(tag) == l) mustHave.add(tag);
        }
        for (int tag : mustHave) if (!out.contains(tag) && !isComputed(tag)) putEmpty(out, tag);
        return utf8;
    }

    private void putCount(DataSet out, int tag, Integer count, Level l) {
        if (count != null && wanted(tag, l)) out.setString(tag, VR.IS, String.valueOf(count));
    }

    private static void putStrings(DataSet out, int tag, VR vr, String backslashed) {
        if (backslashed == null) out.put(new ValueElement(tag, vr, new byte[0]));
        else out.setString(tag, vr, backslashed.split("\\\\"));
    }

    private static void putEmpty(DataSet out, int tag) {
        VR vr = DataDictionary.vrOf(tag);
        if (vr == VR.SQ) out.setSequence(tag, List.of());
        else out.put(new ValueElement(tag, vr, new byte[0]));
    }

    private static boolean isComputed(int tag) {
        return tag == AttributeLevels.MODALITIES_IN_STUDY || tag == AttributeLevels.SOP_CLASSES_IN_STUDY
                || tag == AttributeLevels.NUMBER_OF_STUDY_RELATED_SERIES || tag == AttributeLevels.NUMBER_OF_STUDY_RELATED_INSTANCES
                || tag == AttributeLevels.NUMBER_OF_SERIES_RELATED_INSTANCES || tag == AttributeLevels.INSTANCE_AVAILABILITY;
    }
}
