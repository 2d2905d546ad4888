package dev.stratus.archive.retrieve;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Element;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;
import dev.stratus.imaging.DecodedFrame;
import dev.stratus.imaging.FrameDecoder;
import dev.stratus.imaging.FrameDecoders;
import dev.stratus.imaging.FrameEncoder;
import dev.stratus.imaging.FrameEncoders;
import dev.stratus.imaging.ImagePixel;
import dev.stratus.imaging.PixelDataException;
import dev.stratus.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;

/**
 * Writes an instance stored with encapsulated pixel data as a Part 10 file in a native little endian syntax, or any
 * instance in an encapsulated syntax this archive encodes, one frame decoded (and encoded) at a time (memory: one compressed and one decoded frame, whatever the object's size). Elements after the
 * pixel data (trailing padding, digital signatures, which a new encoding would invalidate anyway) are not written.
 */
final class Transcoder {
    /** Targets: the native syntaxes whose pixel data can be streamed with a defined length after the header. */
    static final Set<String> TARGETS = Set.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid());
    /** Lossy encapsulated syntaxes and the Lossy Image Compression Method they imply (PS3.3 C.7.6.1.1.5.1). */
    private static final java.util.Map<String, String> LOSSY = java.util.Map.of(
            "1.2.840.10008.1.2.4.50", "ISO_10918_1", "1.2.840.10008.1.2.4.51", "ISO_10918_1",
            "1.2.840.10008.1.2.4.81", "ISO_14495_1", "1.2.840.10008.1.2.4.91", "ISO_15444_1",
            "1.2.840.10008.1.2.4.203", "ISO_15444_15");

    private final BlobStore store;

    Transcoder(BlobStore store) {
        this.store = store;
    }

    /** Gives a frame (1-based) as native little endian pixels. */
    interface FrameSource {
        DecodedFrame frame(int number) throws IOException;
    }

    /** Whether an instance stored in {@code stored} can be written in the encapsulated {@code wanted}. */
    static boolean canEncode(TransferSyntax stored, TransferSyntax wanted) {
        return stored != null && wanted != null && wanted.encapsulated() && FrameEncoders.canEncode(wanted)
                && (stored.isUncompressed() || FrameDecoders.canDecode(stored));
    }

    /**
     * Writes the instance in an encapsulated syntax, one frame per fragment with an empty Basic Offset Table (PS3.5
     * A.4: allowed, and the table cannot be known before every frame is encoded). A lossy encoding adds 01, its ratio
     * (of the first frame: "approximate", C.7.6.1.1.5.2) and its method to the Lossy Image Compression attributes and
     * keeps the SOP Instance UID: a transfer syntax encodes the same instance (PS3.5 10), and the attributes tell
     * the receiver what happened to the pixels. {@code part10}: with preamble and File Meta Information, else the data set alone.
     */
    void writeEncoded(InstanceHeader h, TransferSyntax wanted, FrameSource frames, OutputStream out, boolean part10) throws IOException {
        if (h.pixelData() == null || h.pixelData().tag() != Tag.PixelData) {
            throw new NotAcceptableException("instance " + h.instance().sopInstanceUid() + " has no pixel data to encode in " + wanted.name()
                    + "; ask with transfer-syntax=* to get it as stored");
        }
        ImagePixel pixel = imagePixel(h);
        FrameEncoder encoder = FrameEncoders.of(wanted);
        DecodedFrame first = frames.frame(1);
        ImagePixel encoded;
        try {
            encoded = encoder.encodedPixel(first.pixel());
        } catch (dev.stratus.imaging.UnsupportedPixelDataException e) {
            throw new NotAcceptableException("instance " + h.instance().sopInstanceUid() + " cannot be served in " + wanted.name() + ": " + e.getMessage());
        }
        byte[] firstEncoded = encoder.encode(first);
        DataSet ds = nativeHeader(h, encoded);
        ds.setInt(Tag.BitsStored, VR.US, encoded.bitsStored());
        ds.setInt(Tag.BitsAllocated, VR.US, encoded.bitsAllocated());
        if (encoder.lossy()) {
            String ratio = String.format(java.util.Locale.ROOT, "%.2f", (double) first.pixels().length / firstEncoded.length);
            ds.setString(Tag.LossyImageCompression, VR.CS, "01");
            ds.setString(Tag.LossyImageCompressionRatio, VR.DS, appended(ds.getStrings(Tag.LossyImageCompressionRatio), ratio));
            ds.setString(Tag.LossyImageCompressionMethod, VR.CS, appended(ds.getStrings(Tag.LossyImageCompressionMethod), encoder.method()));
        }
        DicomWriter w = new DicomWriter(out, null);
        if (part10) w.writePreambleAndMeta(DicomWriter.fileMetaFor(ds, wanted, null));
        w.writeDataSet(ds, wanted);
        w.flush();
        java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        head.putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'B').putShort((short) 0).putInt(-1);
        head.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(0); // empty Basic Offset Table
        out.write(head.array());
        writeItem(out, firstEncoded);
        for (int n = 2; n <= pixel.frames(); n++) writeItem(out, encoder.encode(frames.frame(n)));
        java.nio.ByteBuffer end = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        end.putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0);
        out.write(end.array());
    }

    private static String[] appended(String[] values, String value) {
        String[] out = java.util.Arrays.copyOf(values, values.length + 1);
        out[values.length] = value;
        return out;
    }

    private static void writeItem(OutputStream out, byte[] fragment) throws IOException {
        java.nio.ByteBuffer item = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        item.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(fragment.length);
        out.write(item.array());
        out.write(fragment);
    }

    /** Whether an instance stored in {@code stored} can be written in {@code wanted} by decoding its frames. */
    static boolean canDecompress(TransferSyntax stored, TransferSyntax wanted) {
        return stored != null && wanted != null && stored.encapsulated() && TARGETS.contains(wanted.uid()) && FrameDecoders.canDecode(stored);
    }

    /** Writes the instance with its frames decoded; {@code part10} as {@link #writeEncoded}. */
    void write(InstanceHeader h, TransferSyntax wanted, OutputStream out, boolean part10) throws IOException {
        if (h.pixelData() == null || h.pixelData().tag() != Tag.PixelData) {
            throw new NotAcceptableException("instance " + h.instance().sopInstanceUid() + " is stored in " + h.transferSyntax().name()
                    + " without pixel data to decode; ask with transfer-syntax=* to get it as stored");
        }
        ImagePixel pixel = imagePixel(h);
        FrameDecoder decoder = FrameDecoders.of(h.transferSyntax());
        List<List<long[]>> frames = EncapsulatedFrames.scan(store, h);
        if (frames.size() != pixel.frames()) {
            throw new PixelDataException("instance " + h.instance().sopInstanceUid() + " holds " + frames.size() + " frame(s), Number of Frames says " + pixel.frames());
        }
        long total = (long) pixel.frameBytes() * pixel.frames();
        if (total > 0xFFFFFFFEL) {
            throw new NotAcceptableException("instance " + h.instance().sopInstanceUid() + " decodes to " + total
                    + " bytes of pixel data, more than a native Pixel Data element can hold; ask with transfer-syntax=*");
        }
        DecodedFrame first = decode(h, decoder, frames.getFirst(), pixel, 1);
        DataSet ds = nativeHeader(h, first.pixel());
        DicomWriter w = new DicomWriter(out, null);
        if (part10) w.writePreambleAndMeta(DicomWriter.fileMetaFor(ds, wanted, null));
        w.writeDataSet(ds, wanted);
        w.flush();
        out.write(ConvertedDataSet.elementHeader(Tag.PixelData, first.pixel().bitsAllocated() > 8 ? VR.OW : VR.OB, total + (total & 1), wanted));
        out.write(first.pixels());
        for (int n = 2; n <= frames.size(); n++) {
            DecodedFrame f = decode(h, decoder, frames.get(n - 1), pixel, n);
            if (!f.pixel().photometric().equals(first.pixel().photometric())) {
                throw new PixelDataException("frame " + n + " of instance " + h.instance().sopInstanceUid() + " decodes as "
                        + f.pixel().photometric() + ", frame 1 as " + first.pixel().photometric());
            }
            out.write(f.pixels());
        }
        if ((total & 1) == 1) out.write(0);
    }

    /** One frame, read from its fragments in the blob and decoded. */
    DecodedFrame decode(InstanceHeader h, FrameDecoder decoder, List<long[]> ranges, ImagePixel pixel, int number) throws IOException {
        long length = 0;
        for (long[] r : ranges) length += r[1];
        if (length > ImagePixel.MAX_FRAME_BYTES) throw new PixelDataException("frame " + number + " is " + length + " bytes compressed");
        byte[] encoded = new byte[(int) length];
        int at = 0;
        for (long[] r : ranges) {
            try (InputStream in = store.openRange(h.instance().blobKey(), r[0], r[1])) {
                at += in.readNBytes(encoded, at, (int) r[1]);
            }
        }
        if (at != length) throw new IOException("frame " + number + " of instance " + h.instance().sopInstanceUid() + " is cut short in storage");
        try {
            return decoder.decode(encoded, pixel);
        } catch (PixelDataException e) {
            throw new PixelDataException("frame " + number + " of instance " + h.instance().sopInstanceUid() + ": " + e.getMessage(), e);
        }
    }

    /** The instance's Image Pixel description; refused if one frame would take more than an eighth of the heap. */
    static ImagePixel imagePixel(InstanceHeader h) throws PixelDataException {
        ImagePixel pixel;
        try {
            pixel = ImagePixel.of(h.dataSet());
        } catch (IllegalArgumentException e) {
            throw new PixelDataException("instance " + h.instance().sopInstanceUid() + " describes no image: " + e.getMessage());
        }
        long limit = Runtime.getRuntime().maxMemory() / 8; // a decoded frame, its compressed bytes and a rendering at once
        if (pixel.frameBytes() > limit) {
            throw new NotAcceptableException("a frame of instance " + h.instance().sopInstanceUid() + " (" + pixel + ") takes "
                    + pixel.frameBytes() + " bytes decoded, more than this server decodes at once (" + limit
                    + ", an eighth of its heap); ask with transfer-syntax=* to get it as stored");
        }
        return pixel;
    }

    /** The header with the attributes a native encoding changes (PS3.3 C.7.6.3.1.2/3, C.7.6.1.1.5). */
    private static DataSet nativeHeader(InstanceHeader h, ImagePixel decoded) {
        DataSet ds = new DataSet(h.dataSet().size() + 4);
        for (Element e : h.dataSet()) if (e.tag() != Tag.PixelData) ds.put(e);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, decoded.photometric());
        if (decoded.samplesPerPixel() > 1) ds.setInt(Tag.PlanarConfiguration, VR.US, decoded.planarConfiguration());
        String method = LOSSY.get(h.transferSyntax().uid());
        // Decoding changes nothing lossy; a lossy source not marked as such is marked now (C.7.6.1.1.5: "shall")
        if (method != null && !"01".equals(trim(ds.getString(Tag.LossyImageCompression)))) {
            ds.setString(Tag.LossyImageCompression, VR.CS, "01");
            if (!ds.contains(Tag.LossyImageCompressionMethod)) ds.setString(Tag.LossyImageCompressionMethod, VR.CS, method);
        }
        return ds;
    }

    private static String trim(String s) { return s == null ? null : s.strip(); }
}
