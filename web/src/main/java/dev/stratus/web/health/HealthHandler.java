package dev.stratus.web.health;

import dev.stratus.archive.Liveness;
import dev.stratus.archive.ingest.IngestService;
import dev.stratus.index.Index;
import dev.stratus.pipeline.EventBus;
import dev.stratus.pipeline.RelayHealth;
import dev.stratus.storage.BlobStore;
import dev.stratus.web.ErrorResponses;
import io.javalin.http.Context;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import java.io.StringWriter;

/**
 * Liveness (the process can still work: DOWN after an unrecoverable error, so that a supervisor restarts it) and
 * readiness (index and storage reachable, storage not full: not ready only for as long as that lasts), for orchestrators.
 */
public final class HealthHandler {
    private static final JsonFactory JSON = new JsonFactory();
    private final Index index;
    private final BlobStore store;
    private final IngestService ingest;
    private final Liveness liveness;
    private final EventBus events;

    public HealthHandler(Index index, BlobStore store, IngestService ingest, Liveness liveness, EventBus events) {
        this.index = index;
        this.store = store;
        this.ingest = ingest;
        this.liveness = liveness;
        this.events = events;
    }

    public void live(Context ctx) {
        String down = liveness.downReason();
        if (down != null) {
            // not a failure of this request: the reason, no correlation id (the error was logged once, when it happened)
            StringWriter body = new StringWriter();
            try (JsonGenerator g = JSON.createGenerator(body)) {
                g.writeStartObject();
                g.writeStringProperty("status", "DOWN");
                g.writeStringProperty("reason", down);
                g.writeEndObject();
            }
            ctx.status(503).contentType("application/json").result(body.toString());
            return;
        }
        ctx.contentType("application/json").result("{\"status\":\"UP\"}");
    }

    public void ready(Context ctx) {
        try {
            index.checkReady();
        } catch (RuntimeException e) {
            ErrorResponses.sendWithoutCause(ctx, 503, "index not ready", e);
            return;
        }
        try {
            store.checkReady();
        } catch (Exception e) {
            ErrorResponses.sendWithoutCause(ctx, 503, "storage not ready", e);
            return;
        }
        String full = ingest.space().fullReason();
        if (full != null) {
            ErrorResponses.send(ctx, 503, "storage full: " + full);
            return;
        }
        RelayHealth relay = events.relayHealth().orElse(null);
        if (relay == null) {
            ctx.contentType("application/json").result("{\"status\":\"UP\",\"index\":\"UP\",\"storage\":\"UP\"}");
            return;
        }
        // Kafka unreachable: still ready (stores succeed, their events wait in the outbox), but said so.
        StringWriter body = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(body)) {
            g.writeStartObject();
            g.writeStringProperty("status", relay.degraded() ? "DEGRADED" : "UP");
            g.writeStringProperty("index", "UP");
            g.writeStringProperty("storage", "UP");
            g.writeStringProperty("events", relay.degraded() ? "DEGRADED" : "UP");
            if (relay.degraded()) {
                g.writeStringProperty("eventsReason", relay.lastError());
                g.writeNumberProperty("eventsWaiting", relay.held());
                g.writeNumberProperty("oldestEventWaitingSeconds", relay.oldestUndelivered().toSeconds());
            }
            g.writeEndObject();
        }
        ctx.contentType("application/json").result(body.toString());
    }
}
