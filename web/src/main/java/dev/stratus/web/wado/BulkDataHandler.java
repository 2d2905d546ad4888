package dev.stratus.web.wado;

import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.index.StoredInstance;
import dev.stratus.web.DicomWebRequest;
import dev.stratus.web.HttpProblem;
import dev.stratus.web.http.MediaType;
import dev.stratus.web.http.MultipartRelatedWriter;
import dev.stratus.web.http.PartHeaders;
import io.javalin.http.Context;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the BulkDataURIs of metadata ({instance}/bulkdata/{offset}-{length}): the value's bytes read by
 * seeking in the blob, as multipart/related application/octet-stream or, when asked, a single
 * application/octet-stream body honouring Range.
 */
public final class BulkDataHandler {
    private static final Pattern RANGE_PATH = Pattern.compile("(\\d{1,18})-(\\d{1,18})");
    private static final Pattern RANGE_HEADER = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final MediaType OCTET_PARTS = MediaType.MULTIPART_RELATED.withParameter("type", "application/octet-stream");

    private final RetrieveService retrieve;

    public BulkDataHandler(RetrieveService retrieve) {
        this.retrieve = retrieve;
    }

    public void handle(Context ctx) throws Exception {
        DicomWebRequest req = DicomWebRequest.of(ctx);
        Matcher m = RANGE_PATH.matcher(ctx.pathParam("range"));
        if (!m.matches()) throw HttpProblem.badRequest("the bulk data reference in the URL is not OFFSET-LENGTH");
        long offset = Long.parseLong(m.group(1)), length = Long.parseLong(m.group(2));
        StoredInstance inst = retrieve.find(req.tenant(), req.study(), req.series(), req.instance()).getFirst();
        if (offset + length > inst.blobSize()) { // both at most 18 digits: no overflow
            ctx.header("Content-Range", "bytes */" + inst.blobSize());
            throw new HttpProblem(416, "bulk data " + offset + "-" + length + " lies outside the " + inst.blobSize()
                    + " bytes of instance " + inst.sopInstanceUid());
        }
        Optional<MediaType> chosen = req.accept().negotiate(List.of(OCTET_PARTS, MediaType.APPLICATION_OCTET_STREAM));
        if (chosen.isEmpty()) throw HttpProblem.notAcceptable("bulk data is available as multipart/related; type=\"application/octet-stream\" or application/octet-stream");
        if (chosen.get().essence().equals("application/octet-stream")) {
            single(ctx, inst, offset, length);
            return;
        }
        MultipartRelatedWriter w = new MultipartRelatedWriter(ctx.outputStream(), "application/octet-stream");
        ctx.status(200).contentType(w.contentType());
        try (InputStream in = retrieve.openRange(inst, offset, length)) {
            w.part(PartHeaders.of("Content-Type", "application/octet-stream"), in);
        }
        w.finish();
    }

    private void single(Context ctx, StoredInstance inst, long offset, long length) throws Exception {
        long from = 0, to = length - 1;
        String range = ctx.header("Range");
        ctx.header("Accept-Ranges", "bytes");
        if (range != null) {
            Matcher r = RANGE_HEADER.matcher(range.strip());
            if (!r.matches() || (r.group(1).isEmpty() && r.group(2).isEmpty())) {
                throw HttpProblem.badRequest("Range header '" + range + "' is not a single bytes=FROM-TO range");
            }
            if (r.group(1).isEmpty()) {
                from = Math.max(0, length - position(r.group(2)));
            } else {
                from = position(r.group(1));
                if (!r.group(2).isEmpty()) to = Math.min(to, position(r.group(2)));
            }
            if (from > to || from >= length) {
                ctx.header("Content-Range", "bytes */" + length);
                throw new HttpProblem(416, "range " + range + " is outside the " + length + " bytes of this value");
            }
            ctx.status(206).header("Content-Range", "bytes " + from + "-" + to + "/" + length);
        } else {
            ctx.status(200);
        }
        // Opened before Content-Length is set: a failure to open must be able to answer with a body of its own.
        try (InputStream in = retrieve.openRange(inst, offset + from, to - from + 1)) {
            ctx.contentType("application/octet-stream");
            ctx.header("Content-Length", String.valueOf(to - from + 1));
            in.transferTo(ctx.outputStream());
        }
    }

    /** A byte position of a Range header; one beyond any long is beyond any value too (RFC 9110 14.1.2). */
    private static long position(String digits) {
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
