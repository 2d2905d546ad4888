package dev.stratus.web.ui;

import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.index.StoredInstance;
import dev.stratus.web.DicomWebRequest;
import dev.stratus.web.HttpProblem;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A study as one zip of its Part 10 files, as stored, streamed instance by instance (memory stays one buffer
 * whatever the study's size): {@code SeriesInstanceUID/SOPInstanceUID.dcm}. What a user downloading a study expects; a
 * DICOMweb client would ask WADO-RS for multipart instead.
 */
final class StudyArchiveHandler {
    /** The most instances one download holds; a larger study is refused rather than streamed for hours. */
    static final int MAX_INSTANCES = 100_000;

    private final Supplier<RetrieveService> opened;

    /** @param opened the archive's, null while it is still opening */
    StudyArchiveHandler(Supplier<RetrieveService> opened) {
        this.opened = opened;
    }

    void handle(Context ctx) throws IOException {
        RetrieveService retrieve = opened.get();
        if (retrieve == null) {
            ctx.header("Retry-After", "1");
            throw new HttpProblem(503, "starting: the archive is still opening, retry in a moment");
        }
        DicomWebRequest req = DicomWebRequest.of(ctx);
        List<StoredInstance> instances = retrieve.find(req.tenant(), req.study(), null, null);
        if (instances.size() > MAX_INSTANCES) {
            throw new HttpProblem(413, "study " + req.study() + " holds " + instances.size() + " instances, more than the "
                    + MAX_INSTANCES + " one download may hold; retrieve it series by series with WADO-RS");
        }
        ctx.status(200).contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + req.study() + ".zip\"");
        try (OutputStream body = ctx.outputStream(); ZipOutputStream zip = new ZipOutputStream(body)) {
            zip.setLevel(Deflater.BEST_SPEED); // pixel data compresses little; speed keeps the stream moving
            for (StoredInstance i : instances) {
                zip.putNextEntry(new ZipEntry(i.seriesUid() + "/" + i.sopInstanceUid() + ".dcm"));
                retrieve.writeInstance(i, null, zip);
                zip.closeEntry();
            }
        }
    }
}
