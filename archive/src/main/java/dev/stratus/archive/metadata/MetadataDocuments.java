package dev.stratus.archive.metadata;

import dev.stratus.archive.retrieve.InstanceHeader;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.json.DicomJsonWriter;
import dev.stratus.codec.json.JsonWriteOptions;
import dev.stratus.index.StoredInstance;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes WADO-RS metadata (a JSON array of instance headers) with BulkDataURIs for the values left in
 * the blobs. URIs are {@code base} + a path relative to the DICOMweb root; stored documents use an empty
 * base and get the request's base inserted when served ({@link BaseUriInserter}).
 */
public final class MetadataDocuments {
    private static final JsonFactory JSON = new JsonFactory();
    private final RetrieveService retrieve;

    public MetadataDocuments(RetrieveService retrieve) {
        this.retrieve = retrieve;
    }

    public static String instancePath(StoredInstance i) {
        return "studies/" + i.studyUid() + "/series/" + i.seriesUid() + "/instances/" + i.sopInstanceUid();
    }

    public void write(List<StoredInstance> instances, String base, boolean numbersAsStrings, OutputStream out) throws IOException {
        try (JsonGenerator gen = JSON.createGenerator(new NonClosingOutputStream(out))) {
            gen.writeStartArray();
            for (StoredInstance inst : instances) {
                InstanceHeader h;
                try {
                    h = retrieve.header(inst);
                } catch (RetrieveService.InstanceGone deletedMeanwhile) {
                    continue;
                }
                String prefix = base + instancePath(inst);
                int frames = Math.max(1, h.dataSet().getInt(Tag.NumberOfFrames, 1));
                JsonWriteOptions opts = JsonWriteOptions.DEFAULT.withNumbersAsStrings(numbersAsStrings)
                        .withBulkData(Long.MAX_VALUE, (path, e) -> bulkDataUri(prefix, e, frames))
                        .withBulkDataSource(retrieve.valuesOf(h.instance()));
                new DicomJsonWriter(gen, opts).write(h.dataSet());
                gen.flush();
            }
            gen.writeEndArray();
        }
    }

    /**
     * The BulkDataURI of a binary value left in the blob; null for the rest, long text included, which is written
     * inline (read from the blob when it was left there).
     */
    public static String bulkDataUri(String instancePrefix, dev.stratus.codec.Element e, int frames) {
        return e instanceof BulkDataElement b && b.vr().isBulk() ? uriOf(instancePrefix, b, frames) : null;
    }

    /** Values of defined length: their byte range in the blob; encapsulated pixel data: its frames. */
    public static String uriOf(String instancePrefix, BulkDataElement b, int frames) {
        if (b.isUndefinedLength()) {
            StringBuilder sb = new StringBuilder(instancePrefix).append("/frames/");
            for (int i = 1; i <= frames; i++) sb.append(i == 1 ? "" : ",").append(i);
            return sb.toString();
        }
        return instancePrefix + "/bulkdata/" + b.offset() + "-" + b.length();
    }

    /** The JSON writer closes its stream when done; the HTTP response must stay open for the caller. */
    private static final class NonClosingOutputStream extends java.io.FilterOutputStream {
        NonClosingOutputStream(OutputStream out) { super(out); }

        @Override
        public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

        @Override
        public void close() throws IOException { flush(); }
    }
}
