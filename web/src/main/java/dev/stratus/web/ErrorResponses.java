package dev.stratus.web;

import dev.stratus.archive.Liveness;
import dev.stratus.archive.StorageSpace;
import dev.stratus.archive.ingest.IngestAdmission;
import dev.stratus.archive.retrieve.NotAcceptableException;
import dev.stratus.imaging.UnsupportedPixelDataException;
import dev.stratus.archive.retrieve.NotFoundException;
import dev.stratus.codec.json.DicomJsonException;
import dev.stratus.index.IndexFullException;
import dev.stratus.index.IndexUnavailableException;
import dev.stratus.index.query.InvalidQueryException;
import dev.stratus.storage.StorageUnavailableException;
import dev.stratus.web.auth.AccessRefused;
import dev.stratus.web.http.MalformedHeaderException;
import dev.stratus.web.http.MultipartException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every failure becomes a status and a JSON body that says what was wrong, never a stack trace. A failure
 * the client did not cause (5xx) says only what kind it was, with a correlation id (also in the
 * {@value #CORRELATION_HEADER} header) under which the log holds the details: exception texts carry
 * class names, file paths and JDBC URLs that are no business of a client.
 */
public final class ErrorResponses {
    public static final String CORRELATION_HEADER = "X-Correlation-ID";
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    private static final JsonFactory JSON = new JsonFactory();

    /** An object store outage is usually over in seconds (a restart, a failover, throttling). */
    static final int STORAGE_RETRY_AFTER_SECONDS = 10;

    private ErrorResponses() {}

    /** Whether the blob store could not be reached, also when that arrives wrapped. */
    private static boolean storageUnavailable(Throwable t) {
        for (int depth = 0; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof StorageUnavailableException) return true;
        }
        return false;
    }

    public static void register(RoutesConfig routes, Liveness liveness) {
        register(routes, () -> liveness);
    }

    /** @param liveness null while the archive is still opening */
    public static void register(RoutesConfig routes, java.util.function.Supplier<Liveness> liveness) {
        routes.exception(HttpProblem.class, (e, ctx) -> send(ctx, e.status(), e.getMessage()));
        routes.exception(AccessRefused.class, (e, ctx) -> {
            if (e.challenge() != null) ctx.header("WWW-Authenticate", e.challenge());
            if (e.status() >= 500) sendWithoutCause(ctx, e.status(), e.getMessage(), e.getCause() == null ? e : e.getCause());
            else send(ctx, e.status(), e.getMessage());
        });
        // Javalin's own (no endpoint matched, say): its text quotes the path, so only the status' phrase is said
        routes.exception(HttpResponseException.class, (e, ctx) ->
                send(ctx, e.getStatus(), e.getStatus() == 404 ? "no such resource" : HttpStatus.forStatus(e.getStatus()).getMessage()));
        routes.exception(NotFoundException.class, (e, ctx) -> send(ctx, 404, e.getMessage()));
        routes.exception(NotAcceptableException.class, (e, ctx) -> send(ctx, 406, e.getMessage()));
        routes.exception(UnsupportedPixelDataException.class, (e, ctx) -> send(ctx, 406, e.getMessage()));
        routes.exception(InvalidQueryException.class, (e, ctx) -> send(ctx, 400, e.getMessage()));
        routes.exception(MultipartException.class, (e, ctx) -> send(ctx, 400, "malformed multipart body: " + e.getMessage()));
        routes.exception(MalformedHeaderException.class, (e, ctx) -> send(ctx, 400, "malformed header: " + e.getMessage()));
        routes.exception(DicomJsonException.class, (e, ctx) -> send(ctx, 400, e.getMessage()));
        routes.exception(IngestAdmission.Busy.class, (e, ctx) -> {
            ctx.header("Retry-After", String.valueOf(e.retryAfter().toSeconds()));
            send(ctx, 503, e.getMessage());
        });
        routes.exception(IndexFullException.class, (e, ctx) -> sendWithoutCause(ctx, 507, "insufficient storage: the index database's disk is full", e));
        routes.exception(IndexUnavailableException.class, (e, ctx) -> sendWithoutCause(ctx, 503, "the index database is unavailable", e));
        routes.exception(Exception.class, (e, ctx) -> {
            Liveness l = liveness.get();
            if (l != null) l.observe(e); // an OutOfMemoryError of a background task arrives wrapped
            String full = StorageSpace.fullDisk(e);
            if (full != null) {
                sendWithoutCause(ctx, 507, "insufficient storage: " + full, e);
            } else if (storageUnavailable(e)) {
                ctx.header("Retry-After", String.valueOf(STORAGE_RETRY_AFTER_SECONDS));
                sendWithoutCause(ctx, 503, "the blob storage is unavailable; nothing was stored, retry later", e);
            } else {
                sendWithoutCause(ctx, 500, "internal error", e);
            }
        });
        routes.error(404, "*", ctx -> {
            // the path is not echoed: an error body quotes nothing a crafted link could put there
            if (ctx.result() == null) send(ctx, 404, "no such resource");
        });
        routes.error(405, "*", ctx -> {
            if (ctx.result() == null) send(ctx, 405, "method " + ctx.method() + " is not allowed on this resource");
        });
    }

    public static void send(Context ctx, int status, String message) {
        send(ctx, status, message, null);
    }

    /**
     * Answers {@code status} with {@code message} and a fresh correlation id, never the cause's text; the
     * cause is logged under that id (with its stack trace for a 500, which is a defect to look into).
     */
    public static void sendWithoutCause(Context ctx, int status, String message, Throwable cause) {
        String id = correlationId();
        if (status == 500) {
            log.error("{} {} answered 500 [correlation id {}]", ctx.method(), ctx.path(), id, cause);
        } else {
            log.warn("{} {} answered {} {} [correlation id {}]: {}", ctx.method(), ctx.path(), status, message, id, cause.toString());
        }
        send(ctx, status, message + " (correlation id " + id + ")", id);
    }

    private static void send(Context ctx, int status, String message, String correlationId) {
        if (ctx.res().isCommitted()) {
            log.warn("failure after the response started ({} {}): {}", ctx.method(), ctx.path(), message);
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(body)) {
            g.writeStartObject();
            g.writeNumberProperty("status", status);
            g.writeStringProperty("message", message);
            if (correlationId != null) g.writeStringProperty("correlationId", correlationId);
            g.writeEndObject();
        }
        if (correlationId != null) ctx.header(CORRELATION_HEADER, correlationId);
        ctx.status(status).contentType("application/json").result(body.toString(StandardCharsets.UTF_8));
    }

    /** 16 hex digits: unique enough to find one failure in a day of logs, short enough to read out on the phone. */
    private static String correlationId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
