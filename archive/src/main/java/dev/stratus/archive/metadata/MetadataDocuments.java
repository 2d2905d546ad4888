package dev.stratus.archive.metadata;

import dev.stratus.archive.retrieve.InstanceHeader;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.BulkDataSource;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.json.DicomJsonWriter;
import dev.stratus.codec.json.JsonWriteOptions;
import dev.stratus.index.StoredInstance;
import dev.stratus.storage.Futures;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes WADO-RS metadata (a JSON array of instance headers) with BulkDataURIs for the values left in
 * the blobs. URIs are {@code base} + a path relative to the DICOMweb root; stored documents use an empty
 * base and get the request's base inserted when served ({@link BaseUriInserter}).
 * <p>
 * A request's instances are read and rendered a few at a time on virtual threads and written in order: the first
 * metadata of a series just stored (before the worker's document) is thousands of header reads, and one after the
 * other they left a core idle and waited on each read (docs/benchmarks.md, first series metadata of 2,000).
 */
public final class MetadataDocuments {
    private static final JsonFactory JSON = new JsonFactory();
    /** Instances read and rendered ahead of the one being written, at most. */
    static final int AHEAD = 16;
    /**
     * ...and at most this many blob bytes among them (always one): a rendered header is smaller than its blob, so the
     * heap a request holds stays bounded whatever the series (a series of large headers is read one at a time).
     */
    static final long AHEAD_BYTES = 16L << 20;
    private static final int OUT_BUFFER = 64 * 1024;
    /**
     * Instances with bigger blobs are written one at a time, straight out: their long text values (left in the blob
     * and read back inline) are never held whole in memory (HostileServerTest's 60 MiB text).
     */
    static final long STREAMED_OVER = 1L << 20;

    private final RetrieveService retrieve;
    private final RenderedMetadata rendered;

    /** Every instance's header read from its blob. */
    public MetadataDocuments(RetrieveService retrieve) {
        this(retrieve, RenderedMetadata.NONE);
    }

    /** Instances whose JSON the ingest rendered ({@code rendered}) written from it, the others read from their blobs. */
    public MetadataDocuments(RetrieveService retrieve, RenderedMetadata rendered) {
        this.retrieve = retrieve;
        this.rendered = rendered;
    }

    /** What the ingest rendered, written instead of reading headers back. */
    RenderedMetadata rendered() { return rendered; }

    public static String instancePath(StoredInstance i) {
        return instancePath(i.studyUid(), i.seriesUid(), i.sopInstanceUid());
    }

    public static String instancePath(String study, String series, String sop) {
        return "studies/" + study + "/series/" + series + "/instances/" + sop;
    }

    /** The array of {@code instances}' metadata, those deleted meanwhile left out, read {@link #AHEAD} at a time. */
    public void write(List<StoredInstance> instances, String base, boolean numbersAsStrings, OutputStream out) throws IOException {
        write(instances, base, numbersAsStrings, out, AHEAD);
    }

    /** The same with at most {@code ahead} instances read at once (1: one after the other, on this thread). */
    public void write(List<StoredInstance> instances, String base, boolean numbersAsStrings, OutputStream out, int ahead) throws IOException {
        OutputStream buffered = new BufferedOutputStream(new NonClosingOutputStream(out), OUT_BUFFER);
        byte[] baseBytes = base.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        buffered.write('[');
        boolean first = true;
        if (ahead <= 1 || instances.size() <= 1) {
            for (StoredInstance inst : instances) {
                RenderedMetadata.Json kept = rendered.of(inst, numbersAsStrings);
                first = kept != null ? append(buffered, kept, baseBytes, first) : stream(buffered, inst, base, numbersAsStrings, first);
            }
        } else {
            try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
                ArrayDeque<Rendering> inFlight = new ArrayDeque<>();
                long bytesInFlight = 0;
                Iterator<StoredInstance> next = instances.iterator();
                try {
                    while (next.hasNext() || !inFlight.isEmpty()) {
                        while (next.hasNext() && (inFlight.isEmpty() || inFlight.size() < ahead && bytesInFlight < AHEAD_BYTES)) {
                            StoredInstance inst = next.next();
                            RenderedMetadata.Json kept = rendered.of(inst, numbersAsStrings);
                            if (kept != null) { // rendered at ingest: no read; in order behind those in flight
                                if (inFlight.isEmpty()) first = append(buffered, kept, baseBytes, first);
                                else inFlight.add(new Rendering(0, null, kept));
                                continue;
                            }
                            if (inst.blobSize() > STREAMED_OVER) {
                                // may hold long text (read inline from the blob): written straight out, never held whole
                                while (!inFlight.isEmpty()) first = inFlight.poll().append(buffered, baseBytes, first);
                                bytesInFlight = 0;
                                first = stream(buffered, inst, base, numbersAsStrings, first);
                                continue;
                            }
                            inFlight.add(new Rendering(inst.blobSize(), readers.submit(() -> render(inst, base, numbersAsStrings)), null));
                            bytesInFlight += inst.blobSize();
                        }
                        if (inFlight.isEmpty()) continue;
                        Rendering done = inFlight.poll();
                        bytesInFlight -= done.blobSize();
                        first = done.append(buffered, baseBytes, first);
                    }
                } finally {
                    for (Rendering r : inFlight) if (r.result() != null) r.result().cancel(true); // a failure or a client gone: the rest is not read
                }
            }
        }
        buffered.write(']');
        buffered.flush();
    }

    /**
     * An instance being read and rendered: its blob's size (what it may hold in memory) and its JSON to come; or one
     * rendered at ingest ({@code kept}), waiting behind those.
     */
    private record Rendering(long blobSize, Future<byte[]> result, RenderedMetadata.Json kept) {
        boolean append(OutputStream out, byte[] base, boolean first) throws IOException {
            return kept != null ? MetadataDocuments.append(out, kept, base, first) : MetadataDocuments.append(out, Futures.result(result, "read instance headers"), first);
        }
    }

    private static boolean append(OutputStream out, RenderedMetadata.Json json, byte[] base, boolean first) throws IOException {
        if (!first) out.write(',');
        json.writeTo(out, base);
        return false;
    }

    private static boolean append(OutputStream out, byte[] json, boolean first) throws IOException {
        if (json == null) return first;
        if (!first) out.write(',');
        out.write(json);
        return false;
    }

    /** One instance's JSON object, or null when it was deleted after it was listed. */
    private byte[] render(StoredInstance inst, String base, boolean numbersAsStrings) throws IOException {
        InstanceHeader h = headerIfStill(inst);
        if (h == null) return null;
        ByteArrayOutputStream json = new ByteArrayOutputStream(8 * 1024);
        writeJson(h, base, numbersAsStrings, json);
        return json.toByteArray();
    }

    /** One instance's JSON object written straight to {@code out} (after a comma unless first); false unless deleted meanwhile. */
    private boolean stream(OutputStream out, StoredInstance inst, String base, boolean numbersAsStrings, boolean first) throws IOException {
        InstanceHeader h = headerIfStill(inst);
        if (h == null) return first;
        if (!first) out.write(',');
        writeJson(h, base, numbersAsStrings, new java.io.FilterOutputStream(out) { // the generator's close: no flush per instance
            @Override
            public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        return false;
    }

    private InstanceHeader headerIfStill(StoredInstance inst) throws IOException {
        try {
            return retrieve.header(inst);
        } catch (RetrieveService.InstanceGone deletedMeanwhile) {
            return null;
        }
    }

    private void writeJson(InstanceHeader h, String base, boolean numbersAsStrings, OutputStream out) throws IOException {
        writeJson(base + instancePath(h.instance()), h.dataSet(), numbersAsStrings, retrieve.valuesOf(h.instance()), out);
    }

    /** One instance's JSON object: {@code header} as read for metadata, BulkDataURIs under {@code prefix}. */
    static void writeJson(String prefix, DataSet header, boolean numbersAsStrings, BulkDataSource leftInBlob, OutputStream out) throws IOException {
        int frames = Math.max(1, header.getInt(Tag.NumberOfFrames, 1));
        JsonWriteOptions opts = JsonWriteOptions.DEFAULT.withNumbersAsStrings(numbersAsStrings)
                .withBulkData(Long.MAX_VALUE, (path, e) -> bulkDataUri(prefix, e, frames))
                .withBulkDataSource(leftInBlob);
        try (JsonGenerator gen = JSON.createGenerator(out)) {
            new DicomJsonWriter(gen, opts).write(header);
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

    /** The caller's stream (the HTTP response, the worker's pipe) stays open for it to close. */
    private static final class NonClosingOutputStream extends java.io.FilterOutputStream {
        NonClosingOutputStream(OutputStream out) { super(out); }

        @Override
        public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

        @Override
        public void close() throws IOException { flush(); }
    }
}
