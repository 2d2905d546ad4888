package dev.stratus.index.mongodb;

import dev.stratus.index.SearchResults;
import dev.stratus.index.query.Level;
import org.bson.Document;
import org.bson.types.Binary;

import static dev.stratus.index.mongodb.Fields.*;

/** Turns search documents (the searched level, parents joined as "series" and "study") into the shared builder's rows. */
final class SearchRows {
    private SearchRows() {}

    static SearchResults.Row of(Document doc, Level level) {
        Document study = level == Level.STUDY ? doc : doc.get("study", Document.class);
        Document series = level == Level.STUDY ? null : level == Level.SERIES ? doc : doc.get("series", Document.class);
        Document instance = level == Level.INSTANCE ? doc : null;
        return new SearchResults.Row(study.getString(STUDY_UID), attrs(study), study.getString(MODALITIES_TEXT),
                study.getString(SOP_CLASSES), intOf(study.get(NUM_SERIES, Number.class)), intOf(study.get(NUM_INSTANCES, Number.class)),
                series == null ? null : series.getString(SERIES_UID), attrs(series),
                series == null ? null : intOf(series.get(NUM_INSTANCES, Number.class)),
                attrs(instance), instance == null ? null : instance.getString(SOP_INSTANCE_UID),
                instance == null ? null : instance.getString(SOP_CLASS_UID));
    }

    private static byte[] attrs(Document doc) {
        if (doc == null) return null;
        Binary b = doc.get(ATTRS, Binary.class);
        return b == null ? null : b.getData();
    }

    private static Integer intOf(Number n) {
        return n == null ? null : n.intValue();
    }
}
