package dev.stratus.web.wado;

import dev.stratus.archive.retrieve.InstanceHeader;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.imaging.FrameDecoders;
import dev.stratus.imaging.FrameEncoder;
import dev.stratus.imaging.FrameEncoders;
import dev.stratus.imaging.ImagePixel;
import dev.stratus.imaging.UnsupportedPixelDataException;
import dev.stratus.index.StoredInstance;
import dev.stratus.web.DicomWebRequest;
import dev.stratus.web.HttpProblem;
import dev.stratus.web.http.AcceptHeader;
import dev.stratus.web.http.BufferWrites;
import dev.stratus.web.http.MediaType;
import dev.stratus.web.http.MultipartRelatedWriter;
import dev.stratus.web.http.PartHeaders;
import io.javalin.http.Context;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * WADO-RS frames (PS3.18 10.4.1.1.3): native pixel data as application/octet-stream, encapsulated pixel
 * data in its own compressed media type or decoded to octets, or either encoded in a compressed type this archive
 * writes (image/jls, image/jp2, image/dicom-rle, image/jpeg), each frame found by seeking in the blob.
 */
public final class FramesHandler {
    private static final int MAX_FRAMES_PER_REQUEST = 100_000;
    /** Frames up to this size are read and written in one piece (a 4096x4096 16-bit frame is 32 MB). */
    private static final long ONE_WRITE_MAX = 32L << 20;
    /** Direct buffers frames are read into, kept for the next frames (at most 64 MB of them). */
    private static final ByteBufferPool BUFFERS = new ArrayByteBufferPool.Quadratic(4096, (int) ONE_WRITE_MAX, 16, -1, 64L << 20);

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
        TransferSyntax stored = header.transferSyntax();
        boolean decodable = FrameDecoders.canDecode(stored);
        Choice choice = negotiate(req.accept(), nativeType, stored.uid(), stored.encapsulated(), decodable, numbers.length);
        if (choice == null) {
            throw HttpProblem.notAcceptable("frames of instance " + inst.sopInstanceUid() + " are stored as " + nativeType
                    + " (transfer syntax " + stored.uid() + "); accept multipart/related; type=\"" + nativeType + "\" (or transfer-syntax=*)"
                    + (stored.encapsulated() ? decodable ? " or type=\"application/octet-stream\" for decoded pixels"
                            : "; they cannot be decoded here: " + FrameDecoders.unsupported(stored) : ""));
        }
        FrameEncoder encoder = choice.encodeTo() == null ? null : encoder(header, choice.encodeTo());
        String ts = choice.encodeTo() != null ? choice.encodeTo().uid() : choice.decode() ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid() : stored.uid();
        String partContentType = MediaType.parse(choice.partType()).withParameter("transfer-syntax", ts).toString();
        try {
            // Frames are never compressed (DicomWebServer): the response's own stream takes direct buffers as they are.
            OutputStream body = ctx.res().getOutputStream();
            if (choice.singlePart()) {
                ctx.status(200).contentType(partContentType);
                if (encoder == null && !choice.decode()) ctx.res().setContentLengthLong(frames.getFirst().length());
                writeFrame(inst, header, numbers[0], frames.getFirst(), choice.decode(), encoder, body);
                return;
            }
            MultipartRelatedWriter w = new MultipartRelatedWriter(body,
                    MediaType.MULTIPART_RELATED.withParameter("type", choice.partType()));
            ctx.status(200).contentType(w.contentType());
            PartHeaders partHeaders = PartHeaders.of("Content-Type", partContentType);
            if (encoder == null && !choice.decode()) {
                // the stored bytes: their length is known, so the body is not chunked (a client need not decode chunks, and
                // the response ends with its last write rather than a chunk of its own)
                long[] lengths = new long[frames.size()];
                for (int i = 0; i < lengths.length; i++) lengths[i] = frames.get(i).length();
                ctx.res().setContentLengthLong(w.length(Collections.nCopies(lengths.length, partHeaders), lengths));
            }
            for (int i = 0; i < frames.size(); i++) {
                RetrieveService.FrameLocation f = frames.get(i);
                int number = numbers[i];
                w.part(partHeaders, out -> writeFrame(inst, header, number, f, choice.decode(), encoder, out));
            }
            w.finish();
        } catch (IOException | RuntimeException e) {
            // nothing sent yet (a blob lost under the index, say): the error's answer goes without the frames' length
            if (!ctx.res().isCommitted()) {
                ctx.res().resetBuffer();
                ctx.res().setContentLengthLong(-1);
            }
            throw e;
        }
    }

    /** The encoder of {@code ts} if it takes this instance's pixels, else 406 before anything is sent. */
    private static FrameEncoder encoder(InstanceHeader header, TransferSyntax ts) throws IOException {
        try {
            FrameEncoder encoder = FrameEncoders.of(ts);
            ImagePixel pixel = ImagePixel.of(header.dataSet());
            encoder.encodedPixel(pixel.withPhotometric(FrameDecoders.decodedPhotometric(header.transferSyntax(), pixel)));
            return encoder;
        } catch (UnsupportedPixelDataException | IllegalArgumentException e) {
            throw HttpProblem.notAcceptable("frames of instance " + header.instance().sopInstanceUid() + " cannot be served in "
                    + ts.name() + ": " + e.getMessage());
        }
    }

    private void writeFrame(StoredInstance inst, InstanceHeader header, int number, RetrieveService.FrameLocation f, boolean decode,
                            FrameEncoder encoder, OutputStream out) throws IOException {
        if (encoder != null) {
            out.write(encoder.encode(retrieve.frame(header, number)));
            return;
        }
        if (decode) {
            out.write(retrieve.decodeFrame(header, number).pixels());
            return;
        }
        for (long[] range : f.ranges()) {
            if (range[1] > ONE_WRITE_MAX) {
                try (InputStream in = retrieve.openRange(inst, range[0], range[1])) {
                    in.transferTo(out);
                }
                continue;
            }
            // One read and one write of the whole frame, not 16 KB at a time (a 512x512 frame took 32 writes through
            // the servlet stream), from a direct buffer: read from the file and written to the socket without the heap.
            RetainableByteBuffer pooled = BUFFERS.acquire((int) range[1], true);
            try {
                ByteBuffer frame = pooled.getByteBuffer().clear().limit((int) range[1]);
                retrieve.readRange(inst, range[0], frame);
                BufferWrites.write(out, frame.flip());
            } finally {
                pooled.release();
            }
        }
    }

    /** How frames are answered: the part (or body) media type, whether decoded, whether as a single part. */
    record Choice(String partType, boolean decode, boolean singlePart, TransferSyntax encodeTo) {
        Choice(String partType, boolean decode, boolean singlePart) {
            this(partType, decode, singlePart, null);
        }
    }

    /** Compressed media types frames can be encoded in (PS3.18 8.7.3.5.2: each type's default syntax, or the one named). */
    private static final java.util.Map<String, String> ENCODABLE = java.util.Map.of(
            "image/jls", "1.2.840.10008.1.2.4.80", "image/jp2", "1.2.840.10008.1.2.4.90",
            "image/jpeg", "1.2.840.10008.1.2.4.50", "image/dicom-rle", "1.2.840.10008.1.2.5");

    /**
     * The answer to the most preferred acceptable range, or null (406). PS3.18 8.7.3.5: {@code application/octet-stream}
     * without a transfer-syntax (or with a native little endian one) means uncompressed, decoded if the frames are
     * compressed; with {@code transfer-syntax=*} (as OHIF asks) or the stored syntax it carries the stored compressed
     * bytes; the native compressed type (or its legacy name) is always acceptable with no, any, or the stored syntax.
     * Another compressed type this archive encodes is answered by encoding. A single-part media type (not
     * multipart/related) answers a request for one frame.
     */
    static Choice negotiate(AcceptHeader accept, String nativeType, String stored, boolean encapsulated, boolean decodable, int frameCount) {
        MediaType nativeMedia = MediaType.parse(nativeType).canonical();
        for (AcceptHeader.Range range : accept.ranges()) {
            MediaType r = range.mediaType();
            if (range.weight() == 0) continue;
            boolean multipart = r.isWildcardType() || r.type().equals("multipart") && (r.isWildcardSubtype() || r.subtype().equals("related"));
            String ts = r.parameter("transfer-syntax").orElse(null);
            boolean asStored = ts == null || ts.equals("*") || ts.equals(stored) || !encapsulated && isLittleEndianNative(ts);
            boolean decoded = encapsulated && decodable && (ts == null || isLittleEndianNative(ts));
            if (!multipart) {
                if (frameCount != 1) continue;
                Choice c = choose(r, nativeMedia, nativeType, ts, asStored, decoded, encapsulated, decodable, true);
                if (c != null) return c;
                continue;
            }
            String type = r.parameter("type").orElse(null);
            if (type == null || type.equals("*/*") || r.isWildcardType()) {
                if (asStored) return new Choice(nativeType, false, false);
                if (decoded) return new Choice("application/octet-stream", true, false);
                continue;
            }
            Choice c = choose(MediaType.parse(type), nativeMedia, nativeType, ts, asStored, decoded, encapsulated, decodable, false);
            if (c != null) return c;
        }
        return null;
    }

    private static Choice choose(MediaType asked, MediaType nativeMedia, String nativeType, String ts, boolean asStored, boolean decoded,
                                 boolean encapsulated, boolean decodable, boolean single) {
        boolean octets = asked.essence().equals("application/octet-stream");
        if (octets && encapsulated) {
            if (ts != null && asStored) return new Choice("application/octet-stream", false, single); // the stored bytes, asked for
            return decoded ? new Choice("application/octet-stream", true, single) : null;
        }
        if (asked.canonical().essence().equals(nativeMedia.essence()) && asStored) return new Choice(asked.essence(), false, single);
        String target = ENCODABLE.get(asked.canonical().essence());
        if (target != null && (ts == null || ts.equals(target)) && (!encapsulated || decodable)) {
            TransferSyntax t = TransferSyntax.of(target);
            if (FrameEncoders.canEncode(t)) return new Choice(asked.essence(), false, single, t);
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
