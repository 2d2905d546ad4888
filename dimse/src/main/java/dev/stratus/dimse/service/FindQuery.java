package dev.stratus.dimse.service;

import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Element;
import dev.stratus.codec.SequenceElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.codec.Values;
import dev.stratus.dimse.message.Status;
import dev.stratus.index.query.InvalidQueryException;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.QidoQuery;
import dev.stratus.index.query.QidoQueryParser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A C-FIND identifier (PS3.4 C.4.1.1.3) turned into the QIDO-RS query model, so that both protocols share
 * one matching engine: each key's value becomes a query parameter, and QidoQueryParser decides its match
 * type from the value and the VR exactly as for a URL (empty: universal matching, '*'/'?': wild card,
 * '\\': list, '-': range). The response identifier holds the requested keys only (C.4.1.1.3.2). C-MOVE and
 * C-GET identifiers are parsed the same way, so that a retrieve selects exactly what a C-FIND at its level matches.
 */
final class FindQuery {
    /** Query/Retrieve Level values (PS3.4 C.6.1.1.1 and C.6.2.1.1). */
    enum QueryLevel { PATIENT, STUDY, SERIES, IMAGE }

    final QueryLevel level;
    private final DataSet identifier;
    private final QidoQuery query;

    private FindQuery(QueryLevel level, DataSet identifier, QidoQuery query) {
        this.level = level;
        this.identifier = identifier;
        this.query = query;
    }

    static FindQuery parse(String model, DataSet identifier) throws FindFailure {
        QueryLevel level = level(model, identifier);
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (Element e : identifier) {
            int tag = e.tag();
            if (!isMatchingKey(tag)) continue;
            params.put(Tag.toHex(tag), List.of(value(identifier, e)));
        }
        // The level's unique key is always returned, with those above it for a retrieve to find the instances;
        // patient rollup needs the patient's identity and counts.
        for (int tag : alwaysFetched(level)) params.putIfAbsent(Tag.toHex(tag), List.of(""));
        Level indexLevel = switch (level) {
            case PATIENT, STUDY -> Level.STUDY;
            case SERIES -> Level.SERIES;
            case IMAGE -> Level.INSTANCE;
        };
        try {
            return new FindQuery(level, identifier, QidoQueryParser.parse(indexLevel, null, null, params));
        } catch (InvalidQueryException e) {
            throw new FindFailure(Status.DOES_NOT_MATCH_SOP_CLASS, e.getMessage(), DataDictionary.parseTag(e.parameter()));
        }
    }

    private static QueryLevel level(String model, DataSet identifier) throws FindFailure {
        String text = identifier.getString(Tag.QueryRetrieveLevel);
        if (text == null) throw new FindFailure(Status.DOES_NOT_MATCH_SOP_CLASS, "no Query/Retrieve Level (0008,0052)", Tag.QueryRetrieveLevel);
        QueryLevel level;
        try {
            level = QueryLevel.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FindFailure(Status.DOES_NOT_MATCH_SOP_CLASS, "unknown Query/Retrieve Level " + text, Tag.QueryRetrieveLevel);
        }
        if (level == QueryLevel.PATIENT && SopClass.isStudyRoot(model)) {
            throw new FindFailure(Status.DOES_NOT_MATCH_SOP_CLASS, "PATIENT level is not in the Study Root model", Tag.QueryRetrieveLevel);
        }
        return level;
    }

    /** Keys that are matched or returned by the index, as opposed to ones this SCP fills itself or ignores. */
    private static boolean isMatchingKey(int tag) {
        int group = Tag.group(tag);
        return group != 0x0000 && group != 0x0002 && tag != Tag.SpecificCharacterSet && tag != Tag.QueryRetrieveLevel
                && tag != Tag.QueryRetrieveView && tag != Tag.RetrieveAETitle && !Tag.isGroupLength(tag);
    }

    /** A key's value as QIDO-RS would carry it: strings joined by '\\', binary integers as decimal text. */
    private static String value(DataSet identifier, Element e) {
        if (Tag.isPrivate(e.tag()) || !(e instanceof ValueElement v)) return ""; // sequences and private keys: returned, not matched
        if (v.vr().isString()) {
            String joined = String.join("\\", identifier.getStrings(e.tag()));
            return joined.equals("*") ? "" : joined; // '*' alone is universal matching for every VR (PS3.4 C.2.2.2.3)
        }
        if (v.vr().bytesPerNumber() > 0 && v.vr() != VR.FL && v.vr() != VR.FD && v.vr() != VR.OF && v.vr() != VR.OD) {
            long[] n = Values.longs(v, identifier.charset());
            List<String> s = new ArrayList<>(n.length);
            for (long x : n) s.add(Long.toString(x));
            return String.join("\\", s);
        }
        return "";
    }

    private static List<Integer> alwaysFetched(QueryLevel level) {
        return switch (level) {
            case PATIENT -> List.of(Tag.PatientID, Tag.IssuerOfPatientID, Tag.NumberOfStudyRelatedSeries, Tag.NumberOfStudyRelatedInstances);
            case STUDY -> List.of(Tag.StudyInstanceUID);
            case SERIES -> List.of(Tag.StudyInstanceUID, Tag.SeriesInstanceUID);
            case IMAGE -> List.of(Tag.StudyInstanceUID, Tag.SeriesInstanceUID, Tag.SOPInstanceUID);
        };
    }

    /** The unique key of the level (PS3.4 C.6.1.1 and C.6.2.1), returned even if the requestor left it out. */
    private int uniqueKey() {
        return switch (level) {
            case PATIENT -> Tag.PatientID;
            case STUDY -> Tag.StudyInstanceUID;
            case SERIES -> Tag.SeriesInstanceUID;
            case IMAGE -> Tag.SOPInstanceUID;
        };
    }

    /** One page of the index search. */
    QidoQuery page(int offset, int limit) {
        QidoQuery q = query;
        return new QidoQuery(q.level(), q.studyUid(), q.seriesUid(), q.matches(), q.fuzzyMatching(), q.includeFields(),
                q.includeAll(), limit, offset, q.orderBy());
    }

    /**
     * The response identifier for one match: every requested key with the match's value, or empty when the
     * match has none; the Query/Retrieve Level; our AE title as Retrieve AE Title when asked; the match's
     * Specific Character Set, in which its values are encoded.
     */
    DataSet response(DataSet match, String aeTitle) {
        DataSet out = new DataSet(identifier.size() + 2);
        for (Element req : identifier) {
            int tag = req.tag();
            if (Tag.group(tag) == 0x0000 || Tag.group(tag) == 0x0002 || Tag.isGroupLength(tag) || tag == Tag.SpecificCharacterSet) continue;
            if (tag == Tag.QueryRetrieveLevel) {
                out.setString(tag, VR.CS, level.name());
            } else if (tag == Tag.RetrieveAETitle) {
                out.setString(tag, VR.AE, aeTitle);
            } else if (match.get(tag) != null) {
                out.put(returned(req, match.get(tag)));
            } else {
                out.put(empty(req));
            }
        }
        int unique = uniqueKey();
        if (!out.contains(unique) && match.get(unique) != null) out.put(match.get(unique));
        if (!out.contains(Tag.QueryRetrieveLevel)) out.setString(Tag.QueryRetrieveLevel, VR.CS, level.name());
        Element charset = match.get(Tag.SpecificCharacterSet);
        if (charset != null) out.put(charset);
        return out;
    }

    /** A sequence key with item keys returns only those keys of each item (PS3.4 C.2.2.1.3); anything else as matched. */
    private static Element returned(Element req, Element found) {
        if (req instanceof SequenceElement rq && found instanceof SequenceElement fs && rq.items().size() == 1 && !rq.items().getFirst().isEmpty()) {
            DataSet keys = rq.items().getFirst();
            List<DataSet> items = new ArrayList<>(fs.items().size());
            for (DataSet item : fs.items()) {
                DataSet filtered = new DataSet(keys.size());
                for (Element k : keys) filtered.put(item.get(k.tag()) != null ? returned(k, item.get(k.tag())) : empty(k));
                items.add(filtered);
            }
            return new SequenceElement(found.tag(), VR.SQ, items);
        }
        return found;
    }

    private static Element empty(Element req) {
        if (req instanceof SequenceElement) return new SequenceElement(req.tag(), VR.SQ, List.of());
        VR vr = req.vr() == VR.UN ? DataDictionary.vrOf(req.tag()) : req.vr();
        return new ValueElement(req.tag(), vr, new byte[0]);
    }
}
