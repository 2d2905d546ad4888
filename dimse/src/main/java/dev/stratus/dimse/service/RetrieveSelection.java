package dev.stratus.dimse.service;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.dimse.message.Status;
import dev.stratus.index.Index;
import dev.stratus.index.IndexUnavailableException;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import dev.stratus.index.query.InvalidQueryException;
import dev.stratus.index.query.QueryResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The instances a C-MOVE or C-GET identifier names (PS3.4 C.4.2.2.1, C.4.3.2.1): the studies, series or images
 * a C-FIND at the identifier's level matches (the same {@link FindQuery} over the same index search), each
 * expanded to its instances. PATIENT level matches studies, as C-FIND does before rolling them up.
 */
final class RetrieveSelection {
    private static final int PAGE = 500;

    private RetrieveSelection() {}

    static List<StoredInstance> select(Index index, TenantId tenant, String model, DataSet identifier) throws FindFailure {
        FindQuery query = FindQuery.parse(model, identifier);
        // Study → its series → the SOP Instance UIDs matched in it (null: all of them), in the order matched.
        Map<String, Map<String, Set<String>>> matched = new LinkedHashMap<>();
        try {
            for (int offset = 0; ; ) {
                QueryResult page = index.search(tenant, query.page(offset, PAGE));
                for (DataSet m : page.matches()) add(matched, query.level, m);
                if (!page.moreAvailable() || page.matches().isEmpty()) break;
                offset += page.matches().size();
            }
            List<StoredInstance> out = new ArrayList<>();
            for (var study : matched.entrySet()) {
                if (study.getValue().isEmpty()) {
                    out.addAll(index.listInstances(tenant, study.getKey(), null));
                    continue;
                }
                for (var series : study.getValue().entrySet()) {
                    for (StoredInstance i : index.listInstances(tenant, study.getKey(), series.getKey())) {
                        if (series.getValue() == null || series.getValue().contains(i.sopInstanceUid())) out.add(i);
                    }
                }
            }
            return out;
        } catch (IndexUnavailableException e) {
            throw new FindFailure(Status.OUT_OF_RESOURCES_MATCHES, "index unavailable, retry later", -1);
        } catch (InvalidQueryException e) {
            throw new FindFailure(Status.DOES_NOT_MATCH_SOP_CLASS, e.getMessage(), dev.stratus.codec.DataDictionary.parseTag(e.parameter()));
        }
    }

    private static void add(Map<String, Map<String, Set<String>>> matched, FindQuery.QueryLevel level, DataSet m) {
        String study = m.getString(Tag.StudyInstanceUID);
        if (study == null) return;
        if (level == FindQuery.QueryLevel.PATIENT || level == FindQuery.QueryLevel.STUDY) {
            matched.computeIfAbsent(study, k -> new LinkedHashMap<>()); // no series named: the whole study
            return;
        }
        String seriesUid = m.getString(Tag.SeriesInstanceUID);
        if (seriesUid == null) return;
        if (level == FindQuery.QueryLevel.SERIES) {
            matched.computeIfAbsent(study, k -> new LinkedHashMap<>()).put(seriesUid, null);
            return;
        }
        String sop = m.getString(Tag.SOPInstanceUID);
        if (sop != null) matched.computeIfAbsent(study, k -> new LinkedHashMap<>()).computeIfAbsent(seriesUid, k -> new LinkedHashSet<>()).add(sop);
    }
}
