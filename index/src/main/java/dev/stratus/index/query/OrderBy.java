package dev.stratus.index.query;

/** One sort key of {@code orderby}: an attribute, ascending unless {@code descending}. */
public record OrderBy(int tag, boolean descending) {}
