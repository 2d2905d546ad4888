package dev.stratus.index.mongodb;

import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Element;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.index.AttributeBlobs;
import dev.stratus.index.AttributeLevels;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.Match;
import dev.stratus.index.query.QidoQuery;
import org.bson.Document;
import org.bson.types.Binary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.stratus.index.mongodb.Fields.*;

/**
 * Builds each result of a search (PS3.18 10.6.3.3) exactly as the SQL index does: the level's default
 * attributes, the matching keys and includefield attributes (or all with includefield=all), the computed
 * counts, and the parents' UIDs. Study attributes come with series and instances searched across studies,
 * series attributes with instances searched across series; attributes of lower levels never come.
 */
final class SearchResults {
    private final QidoQuery q;
    private final Set<Integer> requested = new HashSet<>();
    private final Map<String, DataSet> studies = new HashMap<>();
    private final Map<String, DataSet> series = new HashMap<>();

    SearchResults(QidoQuery q) {
        this.q = q;
        requested.addAll(q.includeFields());
        for (Match m : q.matches()) requested.add(m.tag());
    }

    /** One result per document of the searched level, its parents joined as "series" and "study". */
    List<DataSet> build(List<Document> docs) {
        List<DataSet> out = new ArrayList<>(docs.size());
        for (Document d : docs) out.add(build(d));
        return out;
    }

    private DataSet build(Document doc) {
        DataSet out = new DataSet();
        Level level = q.level();
        Document study = level == Level.STUDY ? doc : doc.get("study", Document.class);
        String studyUid = study.getString(STUDY_UID);
        DataSet studyAttrs = studies.computeIfAbsent(studyUid, k -> decode(study));
        boolean utf8 = copy(out, studyAttrs, Level.STUDY);
        if (wholeLevel(Level.STUDY) || requested.contains(AttributeLevels.MODALITIES_IN_STUDY)) {
            putStrings(out, AttributeLevels.MODALITIES_IN_STUDY, VR.CS, study.getString(MODALITIES_TEXT));
        }
        if (level == Level.STUDY || requested.contains(AttributeLevels.SOP_CLASSES_IN_STUDY) || q.includeAll() && wholeLevel(Level.STUDY)) {
            putStrings(out, AttributeLevels.SOP_CLASSES_IN_STUDY, VR.UI, study.getString(SOP_CLASSES));
        }
        putCount(out, AttributeLevels.NUMBER_OF_STUDY_RELATED_SERIES, study.get(NUM_SERIES, Number.class), Level.STUDY);
        putCount(out, AttributeLevels.NUMBER_OF_STUDY_RELATED_INSTANCES, study.get(NUM_INSTANCES, Number.class), Level.STUDY);
        out.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        if (level != Level.STUDY) {
            Document s = level == Level.SERIES ? doc : doc.get("series", Document.class);
            String seriesUid = s.getString(SERIES_UID);
            DataSet seriesAttrs = series.computeIfAbsent(seriesUid, k -> decode(s));
            utf8 |= copy(out, seriesAttrs, Level.SERIES);
            putCount(out, AttributeLevels.NUMBER_OF_SERIES_RELATED_INSTANCES, s.get(NUM_INSTANCES, Number.class), Level.SERIES);
            out.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        }
        if (level == Level.INSTANCE) {
            utf8 |= copy(out, decode(doc), Level.INSTANCE);
            out.setString(Tag.SOPInstanceUID, VR.UI, doc.getString(SOP_INSTANCE_UID));
            if (doc.getString(SOP_CLASS_UID) != null) out.setString(Tag.SOPClassUID, VR.UI, doc.getString(SOP_CLASS_UID));
        }
        if (wanted(AttributeLevels.INSTANCE_AVAILABILITY, Level.STUDY) || level == Level.INSTANCE) {
            out.setString(AttributeLevels.INSTANCE_AVAILABILITY, VR.CS, "ONLINE"); // everything the index lists is stored online
        }
        if (utf8) out.setString(Tag.SpecificCharacterSet, VR.CS, AttributeBlobs.UTF_8);
        return out;
    }

    private static DataSet decode(Document doc) {
        Binary attrs = doc.get(ATTRS, Binary.class);
        return AttributeBlobs.decode(attrs == null ? null : attrs.getData());
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

    private void putCount(DataSet out, int tag, Number count, Level l) {
        if (count != null && wanted(tag, l)) out.setString(tag, VR.IS, String.valueOf(count.intValue()));
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
