package dev.stratus.codec;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads DICOM Part 10 files (PS3.10 7) and bare data sets (PS3.5 7) in every standard transfer syntax.
 * Streaming: reads front to back once, can stop before pixel data, and leaves large values in the source
 * (offset and length kept) so that bulk data and frames can be served later by seeking. Every parse keeps
 * within a {@link ParseBudget} (elements, nesting, bytes held, inflated bytes), so a hostile object costs a
 * bounded amount of memory and time before it is refused.
 */
public final class DicomReader {
    private static final byte[] DICM = {'D', 'I', 'C', 'M'};

    private final DicomInput in;
    private ReadOptions options = ReadOptions.ALL;
    private boolean bigEndian;
    private boolean explicitVR;
    private boolean seekable = true;
    private int currentTag = -1;
    private long elements; // elements, items and fragments read so far, every level together
    private long valueBytes; // bytes of values held in memory so far
    private int[] pathTags = new int[8]; // the sequences being read, outermost first, and the item of each
    private int[] pathItems = new int[8];
    private int pathDepth;

    public DicomReader(byte[] data) {
        this.in = new DicomInput(data, 0, data.length);
    }

    /** @param knownLength the number of bytes the stream holds, or -1 if unknown */
    public DicomReader(InputStream stream, long knownLength) {
        this.in = new DicomInput(stream, knownLength);
    }

    /** Reads a whole Part 10 file (or a file without preamble or meta header) into memory. */
    public static DicomFile read(byte[] data) throws DicomParseException {
        return new DicomReader(data).readFile(ReadOptions.ALL);
    }

    /** Reads the preamble and File Meta Information if present, then the data set. */
    public DicomFile readFile(ReadOptions opts) throws DicomParseException {
        this.options = opts;
        try {
            boolean preamble = false;
            byte[] head = in.peek(132);
            if (head.length == 132 && startsWith(head, 128, DICM)) {
                in.skip(132);
                preamble = true;
            } else if (startsWith(head, 0, DICM)) {
                in.skip(4);
            }
            DataSet meta = readFileMeta();
            TransferSyntax ts = TransferSyntax.of(meta.getString(Tag.TransferSyntaxUID));
            if (ts == null) ts = guessTransferSyntax();
            long start = in.position();
            DataSet ds = readDataSet(ts, opts);
            return new DicomFile(meta, ds, ts, preamble, start, !stopped);
        } catch (DicomParseException e) {
            throw e;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Reads a bare data set in the given transfer syntax (e.g. a DIMSE data set or a file's body). */
    public DataSet readDataSet(TransferSyntax ts, ReadOptions opts) throws DicomParseException {
        this.options = opts;
        this.bigEndian = ts.bigEndian();
        this.explicitVR = ts.explicitVR();
        try {
            if (ts.deflated()) {
                inflating = new InflatingInput(in.rest(), opts.budget());
                in.switchTo(inflating);
                seekable = false;
            }
            if (explicitVR && !bigEndian && looksImplicit()) {
                explicitVR = false; // the header says explicit, the data is implicit: trust the data, as pydicom does
            }
            DataSet ds = new DataSet(64);
            readElements(ds, -1, false, 0);
            return ds;
        } catch (DicomParseException e) {
            throw e;
        } catch (IOException e) {
            throw failure(e);
        } finally {
            if (inflating != null) inflating.end();
        }
    }

    private InflatingInput inflating;

    private DicomParseException failure(IOException e) {
        if (e instanceof InflatingInput.OverBudget o) {
            return new ParseBudgetExceededException(o.limit, o.max, o.detail, in.position(), currentTag, path());
        }
        String why = e instanceof EOFException ? e.getMessage() : "cannot read: " + e.getMessage();
        return new DicomParseException(in.position(), currentTag, why == null ? e.toString() : why, e);
    }

    private static boolean startsWith(byte[] b, int off, byte[] prefix) {
        if (b.length < off + prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[off + i] != prefix[i]) return false;
        return true;
    }

    /** Group 0002 in explicit VR little endian (PS3.10 7.1); tolerates a missing group length and implicit VR. */
    private DataSet readFileMeta() throws IOException {
        DataSet meta = new DataSet(8);
        byte[] head = in.peek(6);
        if (head.length < 6 || head[0] != 2 || head[1] != 0) return meta;
        bigEndian = false;
        explicitVR = isVRCode(head[4], head[5]);
        long end = -1;
        while (true) {
            byte[] p = in.peek(4);
            if (p.length < 4 || p[0] != 2 || p[1] != 0) break;
            if (end >= 0 && in.position() >= end) break;
            readElement(meta, 1);
            if (end < 0 && meta.get(Tag.FileMetaInformationGroupLength) instanceof ValueElement gl && gl.length() == 4) {
                end = in.position() + (Values.i32(gl.bytes(), 0) & 0xFFFFFFFFL);
            }
        }
        return meta;
    }

    private static boolean isVRCode(byte a, byte b) {
        return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z';
    }

    /** No (usable) transfer syntax in the meta header: infer byte order and VR encoding from the first element. */
    private TransferSyntax guessTransferSyntax() throws IOException {
        byte[] b = in.peek(6);
        if (b.length < 6) return TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        boolean big = b[0] == 0 && b[1] != 0;
        boolean explicit = isVRCode(b[4], b[5]) && VR.ofCode((b[4] << 8) | b[5]) != null;
        if (big) return TransferSyntax.EXPLICIT_VR_BIG_ENDIAN; // big endian implicit is not a DICOM syntax
        return explicit ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }

    private boolean stopped;

    private boolean looksImplicit() throws IOException {
        byte[] b = in.peek(6);
        return b.length == 6 && !isVRCode(b[4], b[5]);
    }

    /**
     * Reads elements into ds until {@code end} (absolute offset), an item delimiter (inItem with
     * undefined length), or the end of input (top level).
     */
    private void readElements(DataSet ds, long end, boolean inItem, int depth) throws IOException {
        while (true) {
            if (end >= 0 && in.position() >= end) {
                if (in.position() > end) throw new DicomParseException(in.position(), currentTag,
                        "element runs past the end of its enclosing item (ends at " + end + ")");
                return;
            }
            if (in.atEnd()) {
                // A defined-length item cut at an element boundary by the end of data is read as far as it goes, as DCMTK and pydicom do.
                if (depth == 0 || end >= 0) return;
                throw new DicomParseException(in.position(), currentTag, "unexpected end of data inside a sequence item");
            }
            long elementStart = in.position();
            int tag = in.readTag(bigEndian);
            if (tag == Tag.ItemDelimitationItem) {
                in.readI32(bigEndian);
                if (inItem) return;
                continue; // a stray delimiter at top level: some writers leave one, it carries nothing
            }
            if (tag == Tag.SequenceDelimitationItem) {
                in.readI32(bigEndian);
                if (depth == 0) continue;
                throw new DicomParseException(elementStart, tag, "sequence delimiter where an element was expected");
            }
            if (depth == 0 && options.stopBeforeTag() != -1 && Integer.compareUnsigned(tag, options.stopBeforeTag()) >= 0) {
                stopAt(ds, tag);
                return;
            }
            readElementBody(ds, tag, depth, elementStart);
        }
    }

    private void readElement(DataSet ds, int depth) throws IOException {
        long start = in.position();
        int tag = in.readTag(bigEndian);
        readElementBody(ds, tag, depth, start);
    }

    /** Records the element where reading stops, with its value offset and length, without reading the value. */
    private void stopAt(DataSet ds, int tag) throws IOException {
        currentTag = tag;
        count(in.position() - 4, tag);
        VR vr = readVR(tag, ds);
        long len = readLength(vr);
        if (vr == null) vr = VR.UN; // a VR of a later edition, as readElementBody reads it
        ds.put(new BulkDataElement(tag, vr, in.position(), len < 0 ? BulkDataElement.UNDEFINED_LENGTH : len, bigEndian, null));
        stopped = true;
    }

    private VR readVR(int tag, DataSet ds) throws IOException {
        if (!explicitVR) {
            return implicitVR(tag, ds);
        }
        int code = in.readVRCode();
        VR vr = VR.ofCode(code);
        if (vr != null) return vr;
        byte a = (byte) (code >> 8), b = (byte) code;
        if (isVRCode(a, b)) {
            return null; // a VR from a later edition: PS3.5 6.2 gives every new VR a 32-bit length
        }
        throw new DicomParseException(in.position() - 2, tag, String.format("invalid VR bytes %02X %02X", a & 0xFF, b & 0xFF));
    }

    /** PS3.5 A.1: implicit VR comes from the dictionary; "US or SS" follows the Pixel Representation seen so far. */
    private VR implicitVR(int tag, DataSet ds) {
        return DataDictionary.vrOf(tag, pixelRepresentation);
    }

    private int pixelRepresentation; // updated as (0028,0103) is read

    /** Reads the value length after the VR; -1 means undefined length. null VR: unknown new VR (long header). */
    private long readLength(VR vr) throws IOException {
        if (!explicitVR) return in.readI32(bigEndian) & 0xFFFFFFFFL;
        if (vr == null || vr.hasLongHeader()) {
            in.readU16(bigEndian);
            long len = in.readI32(bigEndian) & 0xFFFFFFFFL;
            return len == 0xFFFFFFFFL ? -1 : len;
        }
        return in.readU16(bigEndian);
    }

    private void readElementBody(DataSet ds, int tag, int depth, long elementStart) throws IOException {
        currentTag = tag;
        count(elementStart, tag);
        VR vr = readVR(tag, ds);
        long len = readLength(vr);
        if (!explicitVR && len == 0xFFFFFFFFL) len = -1;
        if (vr == null) vr = VR.UN;
        if (vr == VR.UN && len >= 0 && Tag.isPrivateCreator(tag)) vr = VR.LO; // a private creator is LO by definition (PS3.5 7.8.1)
        if (len < 0) {
            readUndefinedLength(ds, tag, vr, depth);
            return;
        }
        if (vr == VR.SQ) {
            ds.put(new SequenceElement(tag, vr, readItems(tag, in.position() + len, depth)));
            return;
        }
        long rem = in.remaining();
        if (rem >= 0 && len > rem) {
            throw new DicomParseException(elementStart, tag, "value length " + len + " exceeds the " + rem + " bytes left");
        }
        if (options.leavesInSource(vr, len)) {
            // deflated input too: its offset then counts inflated bytes (see ReadOptions), never read into memory
            ds.put(new BulkDataElement(tag, vr, in.position(), len, bigEndian, null));
            in.skip(len);
            return;
        }
        byte[] value = readValue(len, elementStart, tag);
        if (bigEndian) Values.swapInPlace(value, vr);
        ds.put(new ValueElement(tag, vr, value));
        if (tag == Tag.PixelRepresentation && value.length >= 2) pixelRepresentation = Values.u16(value, 0);
    }

    /** Undefined length: a sequence, encapsulated pixel data, or UN holding an implicit VR sequence (PS3.5 6.2.2). */
    private void readUndefinedLength(DataSet ds, int tag, VR vr, int depth) throws IOException {
        boolean pixelData = tag == Tag.PixelData || (depth == 0 && (vr == VR.OB || vr == VR.OW));
        if (pixelData && vr != VR.SQ) {
            ds.put(readFragments(tag, vr == VR.UN ? VR.OB : vr));
            return;
        }
        if (vr == VR.SQ || !explicitVR) {
            ds.put(new SequenceElement(tag, VR.SQ, readItems(tag, -1, depth)));
            return;
        }
        if (vr == VR.UN) {
            // Content of UN is always implicit VR little endian.
            boolean savedExplicit = explicitVR, savedBig = bigEndian;
            explicitVR = false;
            bigEndian = false;
            try {
                ds.put(new SequenceElement(tag, VR.UN, readItems(tag, -1, depth)));
            } finally {
                explicitVR = savedExplicit;
                bigEndian = savedBig;
            }
            return;
        }
        throw new DicomParseException(in.position(), tag, "undefined length is not allowed for VR " + vr);
    }

    private List<DataSet> readItems(int seqTag, long end, int depth) throws IOException {
        if (depth + 1 > options.budget().maxDepth()) {
            throw new ParseBudgetExceededException(ParseBudget.Limit.DEPTH, options.budget().maxDepth(), null,
                    in.position(), seqTag, path());
        }
        enter(seqTag, depth);
        List<DataSet> items = new ArrayList<>();
        while (true) {
            if (end >= 0 && in.position() >= end) break;
            long itemStart = in.position();
            int tag = in.readTag(bigEndian);
            long len = in.readI32(bigEndian) & 0xFFFFFFFFL;
            if (tag == Tag.SequenceDelimitationItem) {
                if (end < 0) break;
                continue; // a delimiter inside a defined-length sequence: harmless, skip it
            }
            if (tag != Tag.Item) {
                throw new DicomParseException(itemStart, seqTag, "expected an item tag (FFFE,E000) in sequence, found " + Tag.toString(tag));
            }
            pathItems[depth] = items.size();
            count(itemStart, seqTag);
            DataSet item = new DataSet(4); // grows as needed; small, as most items are (and hostile empty ones)
            if (len == 0xFFFFFFFFL) {
                readElements(item, -1, true, depth + 1);
            } else {
                // An item overrunning its sequence's declared length is read whole, as DCMTK and pydicom do.
                readElements(item, in.position() + len, true, depth + 1);
            }
            currentTag = seqTag;
            items.add(item);
        }
        pathDepth = depth;
        return items;
    }

    private FragmentsElement readFragments(int tag, VR vr) throws IOException {
        List<Fragment> fragments = new ArrayList<>();
        while (true) {
            long itemStart = in.position();
            int itemTag = in.readTag(bigEndian);
            long len = in.readI32(bigEndian) & 0xFFFFFFFFL;
            if (itemTag == Tag.SequenceDelimitationItem) break;
            if (itemTag != Tag.Item) {
                throw new DicomParseException(itemStart, tag, "expected a fragment item (FFFE,E000) in encapsulated pixel data, found " + Tag.toString(itemTag));
            }
            if (len == 0xFFFFFFFFL) {
                throw new DicomParseException(itemStart, tag, "fragment with undefined length");
            }
            long rem = in.remaining();
            if (rem >= 0 && len > rem) {
                throw new DicomParseException(itemStart, tag, "fragment length " + len + " exceeds the " + rem + " bytes left");
            }
            if (len > Integer.MAX_VALUE - 16) throw new DicomParseException(itemStart, tag, "fragment of " + len + " bytes is too large");
            count(itemStart, tag);
            long offset = in.position();
            boolean leave = len > options.bulkDataThreshold() && !fragments.isEmpty();
            if (leave) {
                in.skip(len);
                fragments.add(new Fragment(offset, (int) len, null));
            } else {
                fragments.add(new Fragment(seekable ? offset : -1, (int) len, readValue(len, itemStart, tag)));
            }
        }
        if (fragments.isEmpty()) {
            throw new DicomParseException(in.position(), tag, "encapsulated pixel data without a Basic Offset Table item");
        }
        return new FragmentsElement(tag, vr, fragments);
    }

    /** Counts one element, item or fragment against the budget, before it is allocated. */
    private void count(long offset, int tag) throws ParseBudgetExceededException {
        if (++elements > options.budget().maxElements()) {
            throw new ParseBudgetExceededException(ParseBudget.Limit.ELEMENTS, options.budget().maxElements(), null, offset, tag, path());
        }
    }

    /** Reads a value into memory once the budget allows its bytes. */
    private byte[] readValue(long len, long offset, int tag) throws IOException {
        long max = options.budget().maxValueBytes();
        if (len > max - valueBytes) {
            throw new ParseBudgetExceededException(ParseBudget.Limit.VALUE_BYTES, max,
                    "a value of " + len + " bytes after " + valueBytes, offset, tag, path());
        }
        valueBytes += len;
        return in.readBytes(len);
    }

    private void enter(int seqTag, int depth) {
        if (depth >= pathTags.length) {
            pathTags = java.util.Arrays.copyOf(pathTags, depth * 2);
            pathItems = java.util.Arrays.copyOf(pathItems, depth * 2);
        }
        pathTags[depth] = seqTag;
        pathItems[depth] = 0;
        pathDepth = depth + 1;
    }

    /** Where the reader is, as sequence tags and item numbers (0-based), e.g. "(5200,9230)[2] > (0020,9111)[0]". */
    private String path() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pathDepth; i++) {
            if (i > 0) sb.append(" > ");
            sb.append(Tag.toString(pathTags[i])).append('[').append(pathItems[i]).append(']');
        }
        return sb.toString();
    }

    /** Reads a file from bytes in a given character encoding-free way: handy for tests and tools. */
    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    static InputStream stream(byte[] b) {
        return new ByteArrayInputStream(b);
    }
}
