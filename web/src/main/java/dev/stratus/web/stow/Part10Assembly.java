package dev.stratus.web.stow;

import dev.stratus.archive.ingest.FailureReason;
import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Element;
import dev.stratus.codec.SequenceElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;
import dev.stratus.web.http.MediaType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One instance of a STOW-RS metadata + bulk data request made a Part 10 file: its BulkDataURIs resolved to the
 * bulk data parts (PS3.18 10.5.1.4), File Meta Information built, Pixel Data native or, from compressed frames,
 * encapsulated with a Basic Offset Table in the frames' transfer syntax. Large top-level values are streamed from
 * their spool files, never held in memory; the stream goes down the same store path as an application/dicom part.
 */
final class Part10Assembly {
    /** Ready to store, or refused with the failure reason of PS3.18 Table 10.5.3-2 and the words. */
    sealed interface Result {
        record Ready(InputStream part10, TransferSyntax transferSyntax) implements Result {}
        record Refused(int reason, String message) implements Result {}
    }

    /** A reference that cannot be followed: the instance's failure. */
    private static final class Unresolved extends Exception {
        final int reason;

        Unresolved(int reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    private final BulkDataParts parts;
    /** Bytes of bulk data values (nested, or of a short VR) this instance may hold in memory: ingest.maxValueBytes. */
    private long inMemoryLeft;
    private long inMemory;

    private Part10Assembly(BulkDataParts parts, long maxValueBytes) {
        this.parts = parts;
        this.inMemoryLeft = maxValueBytes;
    }

    static Result of(DataSet metadata, BulkDataParts parts, long maxValueBytes) throws IOException {
        try {
            return new Part10Assembly(parts, maxValueBytes).assemble(metadata);
        } catch (Unresolved e) {
            return new Result.Refused(e.reason, e.getMessage());
        }
    }

    /** A top-level value streamed from its parts: native bytes (one part) or the frames of encapsulated Pixel Data. */
    private record Streamed(int tag, VR vr, List<BulkDataParts.Part> parts, boolean encapsulated) {}

    private Result assemble(DataSet ds) throws Unresolved, IOException {
        List<Object> plan = new ArrayList<>(); // Elements and Streamed values, in tag order
        TransferSyntax ts = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        Frames frames = ds.get(Tag.PixelData) instanceof BulkDataElement px && px.uri() != null ? pixelData(px, ds) : null;
        if (frames != null && frames.syntax != null) {
            ts = frames.syntax;
            describePixels(ds, frames);
        }
        for (Element e : ds) {
            if (Tag.group(e.tag()) == 2 || Tag.isGroupLength(e.tag())) continue; // the meta header is built below
            if (e.tag() == Tag.PixelData && frames != null) {
                plan.add(new Streamed(e.tag(), frames.syntax != null ? VR.OB : e.vr(), frames.parts, frames.syntax != null));
            } else if (e instanceof BulkDataElement b && b.uri() != null && b.vr().hasLongHeader()) {
                plan.add(new Streamed(e.tag(), b.vr(), List.of(single(b)), false));
            } else {
                plan.add(resolved(e));
            }
        }
        long bytes = inMemory;
        for (Object step : plan) {
            if (!(step instanceof Streamed s)) continue;
            for (BulkDataParts.Part p : s.parts()) {
                fitsLengthField(p, s.tag());
                bytes += p.size();
            }
        }
        if (!parts.spend(bytes)) {
            throw new Unresolved(FailureReason.OUT_OF_RESOURCES, "the instances of this request use more bulk data than it sent"
                    + " (parts named by several instances): each byte of bulk data is stored once");
        }
        return new Result.Ready(stream(ds, plan, ts), ts);
    }

    /** Bytes of a frame's start read for its header: far more than a JPEG or JPEG 2000 main header takes. */
    private static final int FRAME_HEADER_BYTES = 64 * 1024;

    /**
     * PS3.18 10.5.1.4: the Image Pixel Description attributes may be left out for compressed frames; those missing
     * are read from the first frame's header. Without Rows and Columns, and no header to read them from, the
     * instance fails.
     */
    private static void describePixels(DataSet ds, Frames frames) throws Unresolved, IOException {
        int[] macro = {Tag.Rows, Tag.Columns, Tag.SamplesPerPixel, Tag.PhotometricInterpretation, Tag.BitsAllocated,
                Tag.BitsStored, Tag.HighBit, Tag.PixelRepresentation};
        if (java.util.Arrays.stream(macro).allMatch(ds::contains)) return;
        BulkDataParts.Part first = frames.parts().getFirst();
        byte[] head;
        try (InputStream in = first.file().open()) {
            head = in.readNBytes(FRAME_HEADER_BYTES);
        }
        FrameHeader header = FrameHeader.of(head, frames.syntax());
        if (header != null) {
            header.fillIn(ds);
        } else if (!ds.contains(Tag.Rows) || !ds.contains(Tag.Columns)) {
            throw new Unresolved(FailureReason.CANNOT_UNDERSTAND, "the Image Pixel Description attributes (Rows, Columns...) are"
                    + " absent and the header of the frame in part " + first.number() + " (" + frames.syntax().name() + ") cannot be read");
        }
    }

    /** A value, or a fragment, has a 32-bit length (PS3.5 7.1.2, A.4): 4 GiB less 2 at most, padded to even. */
    private static void fitsLengthField(BulkDataParts.Part p, int tag) throws Unresolved {
        if (p.size() + (p.size() & 1) > 0xFFFFFFFEL) {
            throw new Unresolved(FailureReason.OUT_OF_RESOURCES, "bulk data part " + p.number() + " of " + name(tag) + " holds "
                    + p.size() + " bytes: more than a DICOM value or frame may hold");
        }
    }

    /** The element with every BulkDataURI inside it replaced by its value, read into memory. */
    private Element resolved(Element e) throws Unresolved, IOException {
        return switch (e) {
            case BulkDataElement b when b.uri() != null -> {
                BulkDataParts.Part p = single(b);
                if (p.size() > inMemoryLeft || !b.vr().hasLongHeader() && p.size() > 0xFFFE) {
                    throw new Unresolved(FailureReason.OUT_OF_RESOURCES, "bulk data part " + p.number() + " of " + name(b.tag())
                            + " is too large (" + p.size() + " bytes) for a value inside a sequence or of VR " + b.vr());
                }
                inMemoryLeft -= p.size();
                inMemory += p.size();
                try (InputStream in = p.file().open()) {
                    yield new ValueElement(b.tag(), b.vr(), in.readAllBytes());
                }
            }
            case SequenceElement sq -> {
                List<DataSet> items = new ArrayList<>(sq.items().size());
                for (DataSet item : sq.items()) {
                    DataSet copy = new DataSet(item.size());
                    for (Element inner : item) copy.put(resolved(inner));
                    items.add(copy);
                }
                yield new SequenceElement(sq.tag(), sq.vr(), items);
            }
            default -> e;
        };
    }

    /** The one part a BulkDataURI names. */
    private BulkDataParts.Part single(BulkDataElement b) throws Unresolved {
        List<BulkDataParts.Part> found = parts.at(b.uri());
        if (found.isEmpty()) throw missing(b);
        if (found.size() > 1) throw duplicate(b, found);
        return found.getFirst();
    }

    private record Frames(List<BulkDataParts.Part> parts, TransferSyntax syntax) {}

    /**
     * Pixel Data's parts: one application/octet-stream part (native), or compressed frames, one part per frame
     * (PS3.18 8.7.3.3.2: "compressed multi-frame image pixel data is encoded as individual frames"), all at the
     * BulkDataURI in frame order or at {uri}/frames/1, /frames/2... (the frame URIs of PS3.18 10.4.1.1.3).
     */
    private Frames pixelData(BulkDataElement b, DataSet ds) throws Unresolved {
        List<BulkDataParts.Part> found = parts.at(b.uri());
        if (found.isEmpty()) {
            found = new ArrayList<>();
            for (int n = 1; ; n++) {
                List<BulkDataParts.Part> frame = parts.at(b.uri() + "/frames/" + n);
                if (frame.isEmpty()) break;
                if (frame.size() > 1) throw duplicate(b, frame);
                found.add(frame.getFirst());
            }
            if (found.isEmpty()) throw missing(b);
        }
        TransferSyntax syntax = null;
        for (BulkDataParts.Part p : found) {
            TransferSyntax ts = syntaxOf(p);
            if (ts == null && found.size() > 1) throw duplicate(b, found); // native bytes come in one part
            if (ts == null) return new Frames(found, null);
            if (syntax != null && !syntax.equals(ts)) {
                throw new Unresolved(FailureReason.CANNOT_UNDERSTAND, "the frames of " + name(b.tag()) + " are in two transfer syntaxes: "
                        + syntax.uid() + " and, from part " + p.number() + ", " + ts.uid());
            }
            syntax = ts;
        }
        int declared = ds.getInt(Tag.NumberOfFrames, 1);
        if (declared != found.size() && !syntax.mediaType().startsWith("video/")) {
            throw new Unresolved(FailureReason.CANNOT_UNDERSTAND, "NumberOfFrames is " + declared + " but " + found.size()
                    + " compressed frames were sent for " + name(b.tag()) + " (one part per frame)");
        }
        return new Frames(found, syntax);
    }

    /**
     * The transfer syntax of a compressed frame part: its transfer-syntax parameter, or the media type's default
     * (PS3.18 8.7.3.3.2); null for application/octet-stream (native bytes, the default of bulk data).
     */
    private static TransferSyntax syntaxOf(BulkDataParts.Part p) throws Unresolved {
        MediaType type = p.type() == null ? MediaType.APPLICATION_OCTET_STREAM : p.type().canonical();
        String named = type.parameter("transfer-syntax").orElse(null);
        if (type.essence().equalsIgnoreCase(StowMediaTypes.UNCOMPRESSED_BULK_DATA)) {
            TransferSyntax ts = TransferSyntax.of(named);
            if (named == null || ts != null && ts.isUncompressed() && !ts.bigEndian() && !ts.deflated()) return null;
            throw new Unresolved(FailureReason.TRANSFER_SYNTAX_NOT_SUPPORTED, "part " + p.number()
                    + " is application/octet-stream with transfer-syntax=" + named + ": only little endian native bytes are");
        }
        String uid = named != null ? named : StowMediaTypes.COMPRESSED_PIXEL_DATA.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(type.essence())).map(Map.Entry::getValue).findFirst().orElse(null);
        TransferSyntax ts = TransferSyntax.of(uid);
        if (ts == null || !ts.encapsulated() || !type.essence().equalsIgnoreCase(ts.mediaType())) {
            throw new Unresolved(FailureReason.TRANSFER_SYNTAX_NOT_SUPPORTED, "part " + p.number() + " has media type " + p.type()
                    + ": not a compressed pixel data type with a transfer syntax of PS3.18 Table 8.7.3-5");
        }
        return ts;
    }

    private static Unresolved missing(BulkDataElement b) {
        return new Unresolved(FailureReason.CANNOT_UNDERSTAND, "BulkDataURI " + b.uri() + " of " + name(b.tag())
                + " matches the Content-Location of no part");
    }

    private static Unresolved duplicate(BulkDataElement b, List<BulkDataParts.Part> found) {
        return new Unresolved(FailureReason.CANNOT_UNDERSTAND, "BulkDataURI " + b.uri() + " of " + name(b.tag())
                + " matches parts " + found.stream().map(p -> Integer.toString(p.number())).toList()
                + ": one Content-Location names one value");
    }

    private static String name(int tag) {
        String kw = dev.stratus.codec.DataDictionary.keywordOf(tag);
        return Tag.toString(tag) + (kw.isEmpty() ? "" : " " + kw);
    }

    /** Preamble and meta header, then the data set in tag order, each streamed value opened only when reached. */
    private static InputStream stream(DataSet ds, List<Object> plan, TransferSyntax ts) throws IOException {
        List<Supplier<InputStream>> pieces = new ArrayList<>();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        DicomWriter w = new DicomWriter(head, null);
        w.writePreambleAndMeta(DicomWriter.fileMetaFor(ds, ts, null));
        w.writeDataSet(new DataSet(), ts); // sets the writer's encoding for the elements written one by one below
        for (Object step : plan) {
            switch (step) {
                case Element e -> w.writeElement(e);
                case Streamed s -> {
                    w.flush();
                    byte[] before = head.toByteArray();
                    pieces.add(() -> new ByteArrayInputStream(before));
                    head.reset();
                    if (s.encapsulated()) fragments(s, pieces);
                    else value(s, pieces);
                }
                default -> throw new IllegalStateException();
            }
        }
        w.flush();
        byte[] rest = head.toByteArray();
        pieces.add(() -> new ByteArrayInputStream(rest));
        Iterator<Supplier<InputStream>> it = pieces.iterator();
        return new SequenceInputStream(new Enumeration<>() {
            @Override public boolean hasMoreElements() { return it.hasNext(); }
            @Override public InputStream nextElement() { return it.next().get(); }
        });
    }

    /** A native value of a long-header VR: its header, the part's bytes, a padding byte if odd (PS3.5 7.1.1). */
    private static void value(Streamed s, List<Supplier<InputStream>> pieces) {
        BulkDataParts.Part p = s.parts().getFirst();
        long size = p.size(); // within the length field: see fitsLengthField
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        header(h, s.tag(), s.vr(), size + (size & 1));
        pieces.add(() -> new ByteArrayInputStream(h.toByteArray()));
        pieces.add(() -> p.file().open());
        if ((size & 1) == 1) pieces.add(() -> new ByteArrayInputStream(new byte[] {s.vr().padding()}));
    }

    /**
     * Encapsulated Pixel Data (PS3.5 A.4): one fragment per frame after a Basic Offset Table of each frame's item
     * offset (left empty when an offset would not fit its 32 bits); odd frames padded to even length.
     */
    private static void fragments(Streamed s, List<Supplier<InputStream>> pieces) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        header(h, s.tag(), VR.OB, 0xFFFFFFFFL);
        List<Long> offsets = new ArrayList<>();
        long at = 0;
        for (BulkDataParts.Part p : s.parts()) {
            offsets.add(at);
            at += 8 + p.size() + (p.size() & 1);
        }
        boolean fits = at <= 0xFFFFFFFFL;
        item(h, fits ? 4L * offsets.size() : 0);
        if (fits) for (long o : offsets) int32(h, o);
        pieces.add(() -> new ByteArrayInputStream(h.toByteArray()));
        for (BulkDataParts.Part p : s.parts()) {
            ByteArrayOutputStream ih = new ByteArrayOutputStream();
            item(ih, p.size() + (p.size() & 1));
            pieces.add(() -> new ByteArrayInputStream(ih.toByteArray()));
            pieces.add(() -> p.file().open());
            if ((p.size() & 1) == 1) pieces.add(() -> new ByteArrayInputStream(new byte[] {0}));
        }
        ByteArrayOutputStream end = new ByteArrayOutputStream();
        int16(end, 0xFFFE);
        int16(end, 0xE0DD);
        int32(end, 0);
        pieces.add(() -> new ByteArrayInputStream(end.toByteArray()));
    }

    /** Explicit VR little endian header of a long-header VR (PS3.5 7.1.2). */
    private static void header(ByteArrayOutputStream out, int tag, VR vr, long length) {
        int16(out, tag >>> 16);
        int16(out, tag & 0xFFFF);
        out.write(vr.code() >> 8);
        out.write(vr.code() & 0xFF);
        int16(out, 0);
        int32(out, length);
    }

    private static void item(ByteArrayOutputStream out, long length) {
        int16(out, 0xFFFE);
        int16(out, 0xE000);
        int32(out, length);
    }

    private static void int16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xFF);
        out.write((v >>> 8) & 0xFF);
    }

    private static void int32(ByteArrayOutputStream out, long v) {
        int16(out, (int) (v & 0xFFFF));
        int16(out, (int) ((v >>> 16) & 0xFFFF));
    }
}
