package dev.stratus.codec.json;

import dev.stratus.codec.Tag;

import java.util.List;

/**
 * Where an element sits: one step per level from the top-level data set down, each a tag and, for the
 * sequences passed through, the index (from 0) of the item entered; the last step's item is -1.
 */
public record TagPath(List<Step> steps) {
    public record Step(int tag, int item) {}

    public TagPath {
        steps = List.copyOf(steps);
    }

    public static TagPath of(int... tagItemPairsThenTag) {
        if (tagItemPairsThenTag.length % 2 == 0) throw new IllegalArgumentException("expected tag, item, ..., tag");
        Step[] s = new Step[tagItemPairsThenTag.length / 2 + 1];
        for (int i = 0; i < s.length; i++) {
            int item = 2 * i + 1 < tagItemPairsThenTag.length ? tagItemPairsThenTag[2 * i + 1] : -1;
            s[i] = new Step(tagItemPairsThenTag[2 * i], item);
        }
        return new TagPath(List.of(s));
    }

    /** The element's own tag. */
    public int tag() { return steps.getLast().tag(); }

    /** Nesting depth: 0 for a top-level element. */
    public int depth() { return steps.size() - 1; }

    /** "00081115/0/00081199/2/00081155": the form used in BulkDataURIs and logs. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Step s : steps) {
            if (!sb.isEmpty()) sb.append('/');
            sb.append(Tag.toHex(s.tag()));
            if (s.item() >= 0) sb.append('/').append(s.item());
        }
        return sb.toString();
    }
}
