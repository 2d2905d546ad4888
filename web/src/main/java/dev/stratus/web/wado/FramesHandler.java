package dev.stratus.web.wado;

import dev.stratus.archive.retrieve.InstanceHeader;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.index.StoredInstance;
import dev.stratus.web.DicomWebRequest;
import dev.stratus.web.HttpProblem;
import dev.stratus.web.http.AcceptHeader;
import dev.stratus.web.http.MediaType;
import dev.stratus.web.http.MultipartRelatedWriter;
import dev.stratus.web.http.PartHeaders;
import io.javalin.http.Context;

import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
        String stored = header.transferSyntax().uid();
        String partType = negotiatePartType(req.accept(), nativeType, stored, header.transferSyntax().encapsulated());
        if (partType == null) {
            throw HttpProblem.notAcceptable("frames of instance " + inst.sopInstanceUid() + " are stored as " + nativeType
                    + " (transfer syntax " + stored + ") and the archive does not transcode pixel data;"
                    + " accept multipart/related; type=\"" + nativeType + "\" (or transfer-syntax=*)");
        }
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

    /**
     * The part media type to answer with, or null (406). PS3.18 8.7.3.5: {@code application/octet-stream}
     * without a transfer-syntax means uncompressed; with {@code transfer-syntax=*} (as OHIF asks) or the
     * stored syntax it may carry the stored compressed bytes; the native compressed type (or its legacy
     * name) is always acceptable with no, any, or the stored transfer syntax.
     */
    static String negotiatePartType(AcceptHeader accept, String nativeType, String stored, boolean encapsulated) {
        MediaType nativeMedia = MediaType.parse(nativeType).canonical();
        for (AcceptHeader.Range range : accept.ranges()) {
            MediaType r = range.mediaType();
            boolean multipart = r.isWildcardType() || r.type().equals("multipart") && (r.isWildcardSubtype() || r.subtype().equals("related"));
            if (range.weight() == 0 || !multipart) continue;
            String ts = r.parameter("transfer-syntax").orElse(null);
            boolean tsOk = ts == null || ts.equals("*") || ts.equals(stored) || !encapsulated && isLittleEndianNative(ts);
            String type = r.parameter("type").orElse(null);
            if (type == null || type.equals("*/*") || r.isWildcardType()) {
                if (tsOk) return nativeType;
                continue;
            }
            MediaType asked = MediaType.parse(type);
            if (asked.canonical().essence().equals(nativeMedia.essence()) && tsOk) return asked.essence();
            if (asked.essence().equals("application/octet-stream") && encapsulated && ts != null && tsOk) return "application/octet-stream";
        }
        return null;
    }

    /** Native pixel data bytes are the same in every little endian uncompressed syntax. */
    private static boolean isLittleEndianNative(String uid) {
        TransferSyntax t = TransferSyntax.of(uid);
        return t != null && t.isUncompressed() && !t.bigEndian();
    }

    /**
     * The frame numbers, each at most once: with repeats, a short URL could ask for any multiple of an instance's
     * pixel data. Distinct numbers cannot ask for more than the instance holds.
     */
    static int[] parseFrameList(String text) {
        String[] parts = text.split(",", MAX_FRAMES_PER_REQUEST + 1);
        if (parts.length > MAX_FRAMES_PER_REQUEST) throw HttpProblem.badRequest("more than " + MAX_FRAMES_PER_REQUEST + " frames requested");
        int[] n = new int[parts.length];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < parts.length; i++) {
            try {
                n[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                n[i] = -1;
            }
            if (n[i] < 1) throw HttpProblem.badRequest("frame list '" + excerpt(text) + "': '" + excerpt(parts[i]) + "' is not a frame number (1, 2, ...)");
            if (!seen.add(n[i])) throw HttpProblem.badRequest("frame list names frame " + n[i] + " more than once");
        }
        return n;
    }

    private static String excerpt(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
