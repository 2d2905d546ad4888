package dev.stratus.index.query;

import dev.stratus.codec.DataSet;

import java.util.List;

/**
 * Matches of a search, each as the attributes to return.
 *
 * @param moreAvailable    true when limit cut the results (QIDO-RS then sends a Warning header)
 * @param ignoredAttributes matching keys the index does not support, which it ignored (named in a Warning)
 */
public record QueryResult(List<DataSet> matches, boolean moreAvailable, List<Integer> ignoredAttributes) {
}
