package dev.stratus.web.wado;

import dev.stratus.archive.retrieve.InstanceHeader;
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

/**
 * WADO-RS frames (PS3.18 10.4.1.1.3): native pixel data as application/octet-stream, encapsulated pixel
 * data in its own compressed media type, each frame found by seeking in the blob.
 */
public final class FramesHandler {
    private static final int MAX_FRAMES_PER_REQUEST = 100_000;

    private final RetrieveService retrieve;

    public FramesHandler(RetrieveService retrieve) {
        this.retrieve = retrieve;
    }

    public void handle(Context ctx) throws Exception {
        DicomWebRequest req = DicomWebRequest.of(ctx);
        int[] numbers = parseFrameList(ctx.pathParam("frames"));
        StoredInstance inst = retrieve.find(req.tenant(), req.study(), req.series(), req.instance()).getFirst();
        InstanceHeader header = retrieve.header(inst);
        List<RetrieveService.FrameLocation> frames = retrieve.locateFrames(header, numbers);
        String nativeType = frames.getFirst().mediaType();
        MediaType part = MediaType.parse(nativeType).withParameter("transfer-syntax", header.transferSyntax().uid());
        MediaType multipart = MediaType.MULTIPART_RELATED.withParameter("type", nativeType)
                .withParameter("transfer-syntax", header.transferSyntax().uid());
        Optional<MediaType> chosen = req.accept().negotiate(List.of(multipart, MediaType.MULTIPART_RELATED.withParameter("type", nativeType)));
        if (chosen.isEmpty()) {
            throw HttpProblem.notAcceptable("frames of instance " + inst.sopInstanceUid() + " are stored as " + nativeType
                    + " (transfer syntax " + header.transferSyntax().uid() + ") and the archive does not transcode pixel data;"
                    + " accept multipart/related; type=\"" + nativeType + "\"");
        }
        String partType = chosen.get().parameter("type").orElse(nativeType);
        MultipartRelatedWriter w = new MultipartRelatedWriter(ctx.outputStream(),
                MediaType.MULTIPART_RELATED.withParameter("type", partType));
        ctx.status(200).contentType(w.contentType());
        for (RetrieveService.FrameLocation f : frames) {
            w.part(PartHeaders.of("Content-Type", MediaType.parse(partType).withParameter("transfer-syntax",
                    header.transferSyntax().uid()).toString()), out -> {
                for (long[] range : f.ranges()) {
                    try (InputStream in = retrieve.openRange(inst, range[0], range[1])) {
                        in.transferTo(out);
                    }
                }
            });
        }
        w.finish();
    }

    static int[] parseFrameList(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_FRAMES_PER_REQUEST) throw HttpProblem.badRequest("more than " + MAX_FRAMES_PER_REQUEST + " frames requested");
        int[] n = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                n[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                n[i] = -1;
            }
            if (n[i] < 1) throw HttpProblem.badRequest("frame list '" + text + "': '" + parts[i] + "' is not a frame number (1, 2, ...)");
        }
        return n;
    }
}
