package dev.stratus.web.stow;

import dev.stratus.archive.ingest.FailureReason;
import dev.stratus.archive.ingest.IngestAdmission;
import dev.stratus.archive.ingest.IngestBatch;
import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.archive.ingest.IngestService;
import dev.stratus.web.DicomResponses;
import dev.stratus.web.DicomWebRequest;
import dev.stratus.web.HttpProblem;
import dev.stratus.web.WebSettings;
import dev.stratus.archive.audit.AuditRecord;
import dev.stratus.web.http.MediaType;
import dev.stratus.web.http.MultipartException;
import dev.stratus.web.http.MultipartRelatedReader;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * STOW-RS (PS3.18 10.5): a multipart/related body of application/dicom parts, each spooled and checked as it
 * streams in, then stored and indexed together (see IngestBatch); or of metadata (application/dicom+json or
 * application/dicom+xml) and bulk data parts, each instance of which is made a Part 10 file ({@link MetadataAndBulkData}). A body that breaks off, or holds more parts
 * than allowed, stops being read there; the answer lists every instance stored before (202) with the reason.
 */
public final class StowHandler {
    /** As nginx's lingering_time: time enough for a client to finish sending a body it cannot stop, yet bounded. */
    private static final Duration DISCARD_AT_MOST = Duration.ofSeconds(30);

    private final IngestService ingest;
    private final WebSettings settings;

    public StowHandler(IngestService ingest, WebSettings settings) {
        this.ingest = ingest;
        this.settings = settings;
    }

    public void handle(Context ctx) throws Exception {
        DicomWebRequest req;
        DicomResponses.Format format;
        MultipartRelatedReader reader;
        MediaType root;
        try {
            req = DicomWebRequest.of(ctx);
            format = DicomResponses.negotiate(req.accept());
            String contentType = ctx.header("Content-Type");
            root = checkMediaType(contentType);
            reader = new MultipartRelatedReader(contentType, ctx.bodyInputStream());
        } catch (Exception refused) {
            // Refused before reading the body: left unread, it would make the close of the connection a reset,
            // which can destroy the answer before the client reads it (the fuzzer saw it happen).
            discardRest(ctx.bodyInputStream());
            throw refused;
        }
        StowResponse response = new StowResponse();
        // Before the body is read: a request waiting here holds only its multipart scanner's buffer, no spool
        // buffers (IngestAdmission.Busy answers 503).
        try (reader; IngestAdmission.Permit running = ingest.admit();
             IngestBatch batch = ingest.batch(req.tenant(), req.study(), "STOW-RS")) {
            MetadataAndBulkData metadata = root.equals(MediaType.APPLICATION_DICOM) ? null
                    : new MetadataAndBulkData(batch, ingest.space(), root, settings.stowMaxParts());
            Unread unread = metadata == null ? receive(reader, batch) : metadata.receive(reader, requestUri(req));
            if (metadata != null && metadata.unreferenced() > 0) {
                ctx.res().addHeader("Warning", "299 stratus: \"" + metadata.unreferenced()
                        + " bulk data parts were referenced by no BulkDataURI and were ignored\"");
            }
            if (unread != null) discardRest(ctx.bodyInputStream());
            if (reader.partsStarted() == 0) throw HttpProblem.badRequest(unread != null ? unread.reason() : "the multipart body holds no parts");
            List<IngestOutcome> outcomes = batch.commit();
            for (IngestOutcome outcome : outcomes) response.add(outcome, req);
            ctx.attribute(AuditRecord.Stored.class.getName(), AuditRecord.Stored.of(outcomes.stream() // read by AccessAudit once answered
                    .flatMap(o -> o instanceof IngestOutcome.Stored s ? Stream.of(s.studyUid()) : Stream.empty()).toList()));
            if (unread != null) response.stopped(unread.reason(), unread.statusIfNoneStored(), unread.failureReason());
            if (batch.storageFull() != null) response.insufficientStorage();
        }
        int status = response.status();
        if (response.omittedFailures() > 0) {
            ctx.res().addHeader("Warning", "299 stratus: \"" + response.omittedFailures() + " more failed instances are not listed\"");
        }
        DicomResponses.writeOne(ctx, status, response.toDataSet(req), format,
                settings.tenantOptions().apply(req.tenant()).numbersAsStrings());
    }

    /** The media types of PS3.18 10.5.1.4 a body's parts may have, by the multipart type parameter. */
    private static final List<MediaType> ROOT_TYPES = StowMediaTypes.BODY_TYPES.stream().map(MediaType::parse).toList();

    /** The multipart's type parameter: application/dicom (also when absent), or metadata (+json, +xml). */
    private static MediaType checkMediaType(String contentType) {
        if (contentType == null) throw HttpProblem.unsupportedMediaType("missing Content-Type: send multipart/related; type=\"application/dicom\"");
        MediaType mt = MediaType.parse(contentType);
        if (!mt.essence().equals("multipart/related")) {
            throw HttpProblem.unsupportedMediaType("Content-Type " + mt.essence() + " is not supported: send multipart/related; type=\"application/dicom\"");
        }
        Optional<String> type = mt.parameter("type");
        if (type.isEmpty()) return MediaType.APPLICATION_DICOM;
        MediaType given = MediaType.parse(type.get());
        MediaType root = ROOT_TYPES.stream().filter(t -> t.essence().equalsIgnoreCase(given.essence())).findFirst().orElse(null);
        if (root == null) {
            throw HttpProblem.unsupportedMediaType("multipart/related of type " + type.get() + " is not supported: send application/dicom,"
                    + " or application/dicom+json or application/dicom+xml metadata with bulk data parts");
        }
        return root;
    }

    /** The request's URI, against which relative Content-Locations and BulkDataURIs resolve (RFC 3986 5.1). */
    private static String requestUri(DicomWebRequest req) {
        return req.root() + "/studies" + (req.study() == null ? "" : "/" + req.study());
    }

    /**
     * Reads parts into the batch until the close delimiter, a framing error or the part limit. Every part read
     * whole before that is stored and reported; returns why the rest was not read, or null when all of it was.
     * The alternative, storing nothing, would hold a whole request's instances out of the index until its end
     * (IngestBatch indexes every 32), and could not undo a replaced instance anyway.
     */
    private Unread receive(MultipartRelatedReader reader, IngestBatch batch) throws IOException {
        try {
            for (Optional<MultipartRelatedReader.Part> p = reader.next(); p.isPresent(); p = reader.next()) {
                MultipartRelatedReader.Part part = p.get();
                if (part.number() > settings.stowMaxParts()) {
                    return new Unread("the body holds more than " + settings.stowMaxParts() + " parts (the most one request may"
                            + " hold): part " + part.number() + " and any after it were not read; send them in another request", 413,
                            FailureReason.CANNOT_UNDERSTAND);
                }
                Optional<MediaType> partType = part.contentType();
                if (partType.isPresent() && !partType.get().essence().equals("application/dicom")) {
                    part.body().transferTo(java.io.OutputStream.nullOutputStream());
                    batch.addFailure(new IngestOutcome.Failed(null, null, FailureReason.CANNOT_UNDERSTAND,
                            "part " + part.number() + " has Content-Type " + partType.get().essence() + ", not application/dicom"));
                    continue;
                }
                batch.add(part.body());
                if (batch.storageFull() != null) {
                    // Every further part would be refused the same way: not read, one failed item says so.
                    if (reader.next().isEmpty()) return null;
                    return new Unread("storage full: part " + (part.number() + 1) + " and any after it were not read; "
                            + "retry once space is freed", 507, FailureReason.OUT_OF_RESOURCES);
                }
            }
            return null;
        } catch (MultipartException e) {
            // A part cut short is not stored; the batch still holds every part before it, whole and checked.
            return new Unread("malformed multipart body: " + e.getMessage() + "; nothing after that point was read", 400,
                    FailureReason.CANNOT_UNDERSTAND);
        }
    }

    /**
     * Reads and drops what the client is still sending, for at most {@link #DISCARD_AT_MOST}: closing a connection
     * with unread bytes resets it, and the client would lose the answer that says what was stored.
     */
    private static void discardRest(InputStream body) {
        long deadline = System.nanoTime() + DISCARD_AT_MOST.toNanos();
        byte[] buffer = new byte[64 * 1024];
        try {
            while (System.nanoTime() < deadline && body.read(buffer) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            // the client is gone, or stopped sending: nothing more to drop
        }
    }

    /** Why the rest of a body was not read, the status when nothing at all was stored (PS3.18 10.5.3) and its failure code. */
    record Unread(String reason, int statusIfNoneStored, int failureReason) {}
}
