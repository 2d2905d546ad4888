package dev.stratus.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes data sets in any uncompressed transfer syntax, and encapsulated ones as they were read, and
 * Part 10 files with a correct File Meta Information header. Sequences and items are written with
 * undefined length, which every syntax allows and which needs no second pass.
 */
public final class DicomWriter {
    /** Identifies files written by Stratus (PS3.7 D.3.3.2): a UUID-derived UID. */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.31847666363088847087387258504392435519";
    public static final String IMPLEMENTATION_VERSION_NAME = "STRATUS_0_1";

    private static final int BUFFER = 16 * 1024;

    private OutputStream out;
    private final BulkDataSource bulk;
    private final byte[] buf = new byte[BUFFER];
    private int n;
    private boolean bigEndian;
    private boolean explicitVR;

    public DicomWriter(OutputStream out, BulkDataSource bulk) {
        this.out = out;
        this.bulk = bulk == null ? BulkDataSource.NONE : bulk;
    }

    /** Writes a Part 10 file: preamble, File Meta Information built for {@code ts}, then the data set. */
    public static void writeFile(OutputStream out, DataSet ds, TransferSyntax ts, BulkDataSource bulk) throws IOException {
        DicomWriter w = new DicomWriter(out, bulk);
        w.writePreambleAndMeta(fileMetaFor(ds, ts, null));
        w.writeDataSet(ds, ts);
        w.flush();
    }

    /** File Meta Information (PS3.10 7.1) for a data set about to be written in {@code ts}. */
    public static DataSet fileMetaFor(DataSet ds, TransferSyntax ts, String sourceAET) {
        DataSet meta = new DataSet(8);
        meta.put(new ValueElement(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1}));
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, nullToEmpty(ds.getString(Tag.SOPClassUID)));
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, nullToEmpty(ds.getString(Tag.SOPInstanceUID)));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, IMPLEMENTATION_VERSION_NAME);
        if (sourceAET != null) meta.setString(Tag.SourceApplicationEntityTitle, VR.AE, sourceAET);
        return meta;
    }

    private static String nullToEmpty(String s) { return s == null ? "" : s; }

    /** 128-byte preamble, "DICM", then the meta elements in explicit VR little endian with their group length. */
    public void writePreambleAndMeta(DataSet meta) throws IOException {
        ensure(132);
        java.util.Arrays.fill(buf, n, n + 128, (byte) 0);
        n += 128;
        putBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        bigEndian = false;
        explicitVR = true;
        long groupLength = 0;
        for (Element e : meta) {
            if (e.tag() != Tag.FileMetaInformationGroupLength && e instanceof ValueElement v) {
                groupLength += (v.vr().hasLongHeader() ? 12 : 8) + v.length() + (v.length() & 1);
            }
        }
        writeValue(new ValueElement(Tag.FileMetaInformationGroupLength, VR.UL, Values.encodeInts(VR.UL, (int) groupLength)));
        for (Element e : meta) {
            if (e.tag() != Tag.FileMetaInformationGroupLength) writeElement(e);
        }
    }

    /** Writes the data set's elements (group 0002 and group lengths left out) in the given syntax. */
    public void writeDataSet(DataSet ds, TransferSyntax ts) throws IOException {
        if (ts.deflated()) {
            flush();
            out = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true), BUFFER) {
                @Override
                public void close() throws IOException {
                    finish();
                    super.close();
                }
            };
        }
        bigEndian = ts.bigEndian();
        explicitVR = ts.explicitVR();
        writeElements(ds, true, ts);
        if (ts.deflated()) {
            flush();
            ((DeflaterOutputStream) out).finish();
        }
    }

    private void writeElements(DataSet ds, boolean topLevel, TransferSyntax ts) throws IOException {
        for (Element e : ds) {
            if (Tag.isGroupLength(e.tag())) continue; // retired (PS3.5 7.2) and would go stale after re-encoding
            if (topLevel && Tag.group(e.tag()) == 2) continue;
            if (ts != null && !ts.encapsulated() && isEncapsulated(e)) {
                throw new IOException("cannot write encapsulated " + Tag.toString(e.tag()) + " in " + ts.name()
                        + ": compressed pixel data is never decoded by the codec");
            }
            writeElement(e);
        }
    }

    private static boolean isEncapsulated(Element e) {
        return e instanceof FragmentsElement || (e instanceof BulkDataElement b && b.isUndefinedLength());
    }

    public void writeElement(Element e) throws IOException {
        switch (e) {
            case ValueElement v -> writeValue(v);
            case SequenceElement sq -> writeSequence(sq);
            case FragmentsElement f -> writeFragments(f);
            case BulkDataElement b -> writeBulk(b);
        }
    }

    private void writeValue(ValueElement v) throws IOException {
        byte[] bytes = v.bytes();
        VR vr = v.vr();
        int len = bytes.length + (bytes.length & 1);
        if (explicitVR && !vr.hasLongHeader() && len > 0xFFFF) vr = VR.UN; // too long for a 16-bit length field
        writeHeader(v.tag(), vr, len);
        if (bigEndian && vr.bytesPerNumber() > 0 || bigEndian && vr == VR.AT) {
            byte[] swapped = bytes.clone();
            Values.swapInPlace(swapped, v.vr());
            putBytes(swapped);
        } else {
            putBytes(bytes);
        }
        if ((bytes.length & 1) == 1) putByte(v.vr().padding());
    }

    private void writeSequence(SequenceElement sq) throws IOException {
        boolean unSequence = sq.vr() == VR.UN && explicitVR;
        writeHeader(sq.tag(), unSequence ? VR.UN : VR.SQ, -1);
        boolean savedExplicit = explicitVR, savedBig = bigEndian;
        if (unSequence) {
            explicitVR = false; // PS3.5 6.2.2: the content of UN is implicit VR little endian
            bigEndian = false;
        }
        for (DataSet item : sq.items()) {
            putTag(Tag.Item);
            putInt(-1);
            writeElements(item, false, null);
            putTag(Tag.ItemDelimitationItem);
            putInt(0);
        }
        putTag(Tag.SequenceDelimitationItem);
        putInt(0);
        explicitVR = savedExplicit;
        bigEndian = savedBig;
    }

    private void writeFragments(FragmentsElement f) throws IOException {
        writeHeader(f.tag(), f.vr(), -1);
        for (Fragment frag : f.fragments()) {
            byte[] bytes = frag.isLoaded() ? frag.bytes()
                    : bulk.read(new BulkDataElement(f.tag(), VR.OB, frag.offset(), frag.length(), false, null));
            putTag(Tag.Item);
            putInt(bytes.length);
            putBytes(bytes);
        }
        putTag(Tag.SequenceDelimitationItem);
        putInt(0);
    }

    private void writeBulk(BulkDataElement b) throws IOException {
        if (b.isUndefinedLength()) {
            throw new IOException("encapsulated " + Tag.toString(b.tag()) + " was not read; read it with its fragments to write it");
        }
        byte[] bytes = bulk.read(b);
        if (b.bigEndian() != bigEndian) Values.swapInPlace(bytes, b.vr());
        VR vr = b.vr();
        int len = bytes.length + (bytes.length & 1);
        if (explicitVR && !vr.hasLongHeader() && len > 0xFFFF) vr = VR.UN; // as writeValue: a long text left in its source
        writeHeader(b.tag(), vr, len);
        putBytes(bytes);
        if ((bytes.length & 1) == 1) putByte(b.vr().padding());
    }

    /** length -1: undefined. */
    private void writeHeader(int tag, VR vr, int length) throws IOException {
        putTag(tag);
        if (!explicitVR) {
            putInt(length);
            return;
        }
        ensure(2);
        buf[n++] = (byte) (vr.code() >> 8);
        buf[n++] = (byte) vr.code();
        if (vr.hasLongHeader()) {
            putShort(0);
            putInt(length);
        } else {
            putShort(length);
        }
    }

    private void putTag(int tag) throws IOException {
        putShort(tag >>> 16);
        putShort(tag & 0xFFFF);
    }

    private void putShort(int v) throws IOException {
        ensure(2);
        if (bigEndian) {
            buf[n++] = (byte) (v >> 8);
            buf[n++] = (byte) v;
        } else {
            buf[n++] = (byte) v;
            buf[n++] = (byte) (v >> 8);
        }
    }

    private void putInt(int v) throws IOException {
        if (bigEndian) {
            putShort(v >>> 16);
            putShort(v & 0xFFFF);
        } else {
            putShort(v & 0xFFFF);
            putShort(v >>> 16);
        }
    }

    private void putByte(byte b) throws IOException {
        ensure(1);
        buf[n++] = b;
    }

    private void putBytes(byte[] b) throws IOException {
        if (b.length > BUFFER / 2) {
            flushBuffer();
            out.write(b);
            return;
        }
        ensure(b.length);
        System.arraycopy(b, 0, buf, n, b.length);
        n += b.length;
    }

    private void ensure(int k) throws IOException {
        if (n + k > buf.length) flushBuffer();
    }

    private void flushBuffer() throws IOException {
        if (n > 0) {
            out.write(buf, 0, n);
            n = 0;
        }
    }

    public void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    /** Encodes a data set alone (no preamble or meta), e.g. for a DIMSE data set or a test. */
    public static byte[] encode(DataSet ds, TransferSyntax ts) throws IOException {
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        DicomWriter w = new DicomWriter(bos, null);
        w.writeDataSet(ds, ts);
        w.flush();
        return bos.toByteArray();
    }

    static List<TransferSyntax> uncompressed() {
        return List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
    }
}
