package dev.stratus.web.health;

import dev.stratus.index.Index;
import dev.stratus.storage.BlobStore;
import dev.stratus.web.ErrorResponses;
import io.javalin.http.Context;

/** Liveness (the process answers) and readiness (index and storage reachable), for orchestrators. */
public final class HealthHandler {
    private final Index index;
    private final BlobStore store;

    public HealthHandler(Index index, BlobStore store) {
        this.index = index;
        this.store = store;
    }

    public void live(Context ctx) {
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
        ctx.contentType("application/json").result("{\"status\":\"UP\",\"index\":\"UP\",\"storage\":\"UP\"}");
    }
}
