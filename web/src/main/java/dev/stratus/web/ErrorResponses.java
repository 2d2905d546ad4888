package dev.stratus.web;

import dev.stratus.archive.retrieve.NotAcceptableException;
import dev.stratus.archive.retrieve.NotFoundException;
import dev.stratus.codec.json.DicomJsonException;
import dev.stratus.index.IndexUnavailableException;
import dev.stratus.index.query.InvalidQueryException;
import dev.stratus.web.http.MalformedHeaderException;
import dev.stratus.web.http.MultipartException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Every failure becomes a status and a JSON body that says what was wrong, never a stack trace. */
public final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    private static final JsonFactory JSON = new JsonFactory();

    private ErrorResponses() {}

    public static void register(RoutesConfig routes) {
        routes.exception(HttpProblem.class, (e, ctx) -> send(ctx, e.status(), e.getMessage()));
        routes.exception(NotFoundException.class, (e, ctx) -> send(ctx, 404, e.getMessage()));
        routes.exception(NotAcceptableException.class, (e, ctx) -> send(ctx, 406, e.getMessage()));
        routes.exception(InvalidQueryException.class, (e, ctx) -> send(ctx, 400, e.getMessage()));
        routes.exception(MultipartException.class, (e, ctx) -> send(ctx, 400, "malformed multipart body: " + e.getMessage()));
        routes.exception(MalformedHeaderException.class, (e, ctx) -> send(ctx, 400, "malformed header: " + e.getMessage()));
        routes.exception(DicomJsonException.class, (e, ctx) -> send(ctx, 400, e.getMessage()));
        routes.exception(IndexUnavailableException.class, (e, ctx) -> {
            log.warn("index unavailable: {}", e.getMessage());
            send(ctx, 503, "the index database is unavailable: " + e.getMessage());
        });
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            send(ctx, 500, "internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        });
        routes.error(404, "*", ctx -> {
            if (ctx.result() == null) send(ctx, 404, "no such resource: " + ctx.method() + " " + ctx.path());
        });
        routes.error(405, "*", ctx -> {
            if (ctx.result() == null) send(ctx, 405, "method " + ctx.method() + " is not allowed on " + ctx.path());
        });
    }

    public static void send(Context ctx, int status, String message) {
        if (ctx.res().isCommitted()) {
            log.warn("failure after the response started ({} {}): {}", ctx.method(), ctx.path(), message);
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(body)) {
            g.writeStartObject();
            g.writeNumberProperty("status", status);
            g.writeStringProperty("message", message);
            g.writeEndObject();
        }
        ctx.status(status).contentType("application/json").result(body.toString(StandardCharsets.UTF_8));
    }
}
