package dev.stratus.index.query;

import java.util.List;

/** One matching key of a query (PS3.4 C.2.2.2), already validated against the attribute's VR. */
public sealed interface Match {
    int tag();

    /** Single value matching: equal values; for PN case-insensitive, and with fuzzy matching per component. */
    record SingleValue(int tag, String value) implements Match {}

    /** Wild card matching: '*' any run of characters, '?' one character. */
    record Wildcard(int tag, String pattern) implements Match {}

    /** List of UID matching, and value lists (e.g. ModalitiesInStudy=CT\MR): any of the values. */
    record AnyOf(int tag, List<String> values) implements Match {}

    /** Range matching of DA, TM, DT: {@code from} or {@code to} may be null for an open range. */
    record Range(int tag, String from, String to) implements Match {}
}
