package dev.stratus.index.query;

import java.util.List;
import java.util.Set;

/**
 * A search at one level, optionally scoped to a study (and series), as QIDO-RS and C-FIND express it.
 *
 * @param includeFields attributes to return beyond the level's defaults (PS3.18 Table 10.6.3-x)
 * @param includeAll    includefield=all: every attribute the index holds for the level
 * @param limit         maximum number of results (the index may cap it)
 * @param offset        results to skip
 */
public record QidoQuery(Level level, String studyUid, String seriesUid, List<Match> matches, boolean fuzzyMatching,
                        Set<Integer> includeFields, boolean includeAll, int limit, int offset, List<OrderBy> orderBy) {
}
