package dev.stratus.web.delete;

import dev.stratus.archive.delete.DeleteService;
import dev.stratus.archive.retrieve.NotFoundException;
import dev.stratus.web.DicomWebRequest;
import io.javalin.http.Context;

/** DELETE of a study, series or instance: 204 when removed, 404 when absent. */
public final class DeleteHandler {
    private final DeleteService deletes;

    public DeleteHandler(DeleteService deletes) {
        this.deletes = deletes;
    }

    public void handle(Context ctx) {
        DicomWebRequest req = DicomWebRequest.of(ctx);
        if (!deletes.delete(req.tenant(), req.study(), req.series(), req.instance())) {
            String what = req.instance() != null ? "instance " + req.instance()
                    : req.series() != null ? "series " + req.series() : "study " + req.study();
            throw new NotFoundException("no " + what + " to delete");
        }
        ctx.status(204);
    }
}
