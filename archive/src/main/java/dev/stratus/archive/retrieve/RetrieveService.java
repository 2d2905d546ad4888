package dev.stratus.archive.retrieve;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.BulkDataSource;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.ParseBudget;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.imaging.DecodedFrame;
import dev.stratus.imaging.FrameDecoder;
import dev.stratus.imaging.FrameDecoders;
import dev.stratus.imaging.FrameEncoders;
import dev.stratus.imaging.UnsupportedPixelDataException;
import dev.stratus.imaging.Ybr422;
import dev.stratus.imaging.ImagePixel;
import dev.stratus.index.Index;
import dev.stratus.index.StoredInstance;
import dev.stratus.index.TenantId;
import dev.stratus.storage.BlobNotFoundException;
import dev.stratus.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** WADO-RS behind the HTTP layer: finds instances, streams, converts or decodes them, reads headers, cuts frames. */
public final class RetrieveService {
    /** Binary values longer than this are served by BulkDataURI rather than inline in metadata. */
    public static final long METADATA_BULK_THRESHOLD = 1024;

    /**
     * Text values longer than this stay in the blob when a header is read for metadata, and are written inline from it
     * one at a time ({@link #valuesOf}): a header read whole held all of an object's text (up to ingest.maxValueBytes,
     * twice that in G1's humongous regions), in every metadata request and the worker at once, so that a few of them
     * together ran a 256 MiB server out of heap depending on how they overlapped.
     */
    public static final long METADATA_TEXT_IN_MEMORY = 64 * 1024;

    /** How a header is read for metadata (before the stored budget): what {@link #header} and the ingest's rendering read. */
    public static final ReadOptions METADATA_HEADER = ReadOptions.HEADER.bulkDataOver(METADATA_BULK_THRESHOLD).textOver(METADATA_TEXT_IN_MEMORY);

    /** Stored objects were accepted within a configured budget, which this one bounds: they are read again whole. */
    private static final ParseBudget STORED = ParseBudget.MAXIMUM;
    /** Parsed headers kept in memory: some thousands of CT headers (HeaderCache). */
    private static final long HEADER_CACHE_BYTES = 64L << 20;

    /** A DIMSE data set decoded or encoded is held in memory up to this, in a file of the spool directory past it. */
    private static final int CONVERSION_IN_MEMORY = 4 << 20;

    private final Index index;
    private final BlobStore store;
    private final Transcoder transcoder;
    private final HeaderCache cache = new HeaderCache(HEADER_CACHE_BYTES);
    /** Read-ahead's direct buffers, kept across responses: four responses' windows. */
    private final DirectBuffers readBuffers = new DirectBuffers(4 * ReadAhead.WINDOW);
    private final Path spool;

    public RetrieveService(Index index, BlobStore store) {
        this(index, store, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** {@code spool}: where a DIMSE data set converted frame by frame is written when large ({@link #openDataSet}). */
    public RetrieveService(Index index, BlobStore store, Path spool) {
        this.index = index;
        this.store = store;
        this.transcoder = new Transcoder(store);
        this.spool = spool;
    }

    /** What one series' metadata request asks the store to read ahead, at most: a 2,000-slice CT is about 1 GB. */
    private static final int PREFETCH_BLOBS = 2_000;
    private static final long PREFETCH_BYTES = 1L << 30;
    /** Prefetches at once: a burst of metadata requests starts no more index reads than this beside its own. */
    private final java.util.concurrent.Semaphore prefetching = new java.util.concurrent.Semaphore(4);

    /**
     * Viewers ask for a series' frames right after its metadata: starts the store reading the series' blobs ahead (a
     * local file into the page cache; large ones were written past it), bounded, on a thread of its own. A hint: any
     * failure only means the frames are read as before.
     */
    public void prefetchSeries(TenantId tenant, String study, String series) {
        if (!store.prefetches() || !prefetching.tryAcquire()) return;
        Thread.ofVirtual().name("prefetch").start(() -> {
            try {
                long bytes = 0;
                int blobs = 0;
                for (StoredInstance i : index.listInstances(tenant, study, series)) {
                    if (++blobs > PREFETCH_BLOBS || (bytes += i.blobSize()) > PREFETCH_BYTES) break;
                    store.prefetch(i.blobKey());
                }
            } catch (RuntimeException e) {
                // the index is unavailable or the series went away: nothing to read ahead
            } finally {
                prefetching.release();
            }
        });
    }

    /** Instances of a study, a series, or one instance; NotFoundException if there are none. */
    public List<StoredInstance> find(TenantId tenant, String study, String series, String sop) {
        if (sop != null) {
            return List.of(index.findInstance(tenant, study, series, sop).orElseThrow(() ->
                    new NotFoundException("no instance " + sop + " in series " + series + " of study " + study)));
        }
        List<StoredInstance> found = index.listInstances(tenant, study, series);
        if (found.isEmpty()) {
            throw new NotFoundException(series == null ? "no study " + study : "no series " + series + " in study " + study);
        }
        return found;
    }

    /**
     * Whether an instance stored in {@code stored} can be served in {@code wanted} (null: as stored): converted among
     * uncompressed syntaxes, or its compressed frames decoded into a native little endian one.
     */
    public static boolean canServe(String stored, TransferSyntax wanted) {
        if (wanted == null || wanted.uid().equals(stored)) return true;
        TransferSyntax from = TransferSyntax.of(stored);
        return from != null && (from.isUncompressed() && wanted.isUncompressed() || Transcoder.canDecompress(from, wanted)
                || Transcoder.canEncode(from, wanted));
    }

    /** What an instance stored in {@code stored} can be served as, for a 406 that names the choices. */
    public static String servableAs(String stored) {
        TransferSyntax from = TransferSyntax.of(stored);
        StringBuilder s = new StringBuilder("as stored (transfer-syntax=* or " + stored + ")");
        if (from != null && from.isUncompressed()) {
            s.append(" or any uncompressed syntax");
        } else if (from != null && FrameDecoders.canDecode(from)) {
            for (String t : Transcoder.TARGETS.stream().sorted().toList()) s.append(", ").append(t);
        } else if (from != null) {
            s.append(" only: ").append(FrameDecoders.unsupported(from));
            return s.toString();
        }
        if (from != null) {
            for (TransferSyntax t : TransferSyntax.all()) {
                if (!t.uid().equals(stored) && Transcoder.canEncode(from, t)) s.append(", ").append(t.uid());
            }
        }
        return s.toString();
    }

    /**
     * Refuses (NotAcceptableException, naming why) an instance that {@link #canServe} allows by syntax but whose pixels
     * the wanted encoder does not take (a 16-bit image for lossy JPEG, say): checked before a response starts, since a
     * multipart answer cannot turn into a 406 halfway. Reads the header only for encapsulated targets.
     */
    public void checkEncodable(StoredInstance inst, TransferSyntax wanted) throws IOException {
        if (wanted == null || !wanted.encapsulated() || wanted.uid().equals(inst.transferSyntaxUid())) return;
        InstanceHeader h = fullHeader(inst);
        if (h.pixelData() == null) {
            throw new NotAcceptableException("instance " + inst.sopInstanceUid() + " has no pixel data to encode in " + wanted.name()
                    + "; ask with transfer-syntax=* to get it as stored");
        }
        ImagePixel pixel = Transcoder.imagePixel(h);
        if (h.transferSyntax().encapsulated()) pixel = pixel.withPhotometric(FrameDecoders.decodedPhotometric(h.transferSyntax(), pixel));
        try {
            FrameEncoders.of(wanted).encodedPixel(pixel);
        } catch (UnsupportedPixelDataException e) {
            throw new NotAcceptableException("instance " + inst.sopInstanceUid() + " cannot be served in " + wanted.name() + ": "
                    + e.getMessage() + "; it can be served " + servableAs(inst.transferSyntaxUid()));
        }
    }

    /** Writes these instances in order, each as {@link #writeInstance}, reading stored bytes ahead of the one being written. */
    public ReadAhead readAhead(List<StoredInstance> instances, TransferSyntax wanted) {
        return new ReadAhead(this, store, instances, wanted, readBuffers);
    }

    /**
     * Writes the instance as a Part 10 file: its stored bytes, converted among uncompressed syntaxes (its large values
     * copied from the blob a chunk at a time), or decoded or encoded a frame at a time.
     */
    public void writeInstance(StoredInstance inst, TransferSyntax wanted, OutputStream out) throws IOException {
        if (wanted == null || wanted.uid().equals(inst.transferSyntaxUid())) {
            try (InputStream in = store.open(inst.blobKey())) {
                copy(in, out, inst.blobSize());
            }
            return;
        }
        checkServable(inst, wanted);
        if (wanted.encapsulated() || !TransferSyntax.of(inst.transferSyntaxUid()).isUncompressed()) {
            writeFrameByFrame(inst, wanted, out, true);
            return;
        }
        DataSet ds = readForConversion(inst);
        try (InputStream converted = convert(inst, ds, wanted)) {
            DicomWriter w = new DicomWriter(out, null);
            w.writePreambleAndMeta(DicomWriter.fileMetaFor(ds, wanted, null));
            w.flush();
            converted.transferTo(out);
        }
        out.flush();
    }

    private static void checkServable(StoredInstance inst, TransferSyntax wanted) {
        if (!canServe(inst.transferSyntaxUid(), wanted)) {
            throw new NotAcceptableException("instance " + inst.sopInstanceUid() + " is stored in " + inst.transferSyntaxUid()
                    + " and cannot be converted to " + wanted.uid() + "; it can be served " + servableAs(inst.transferSyntaxUid()));
        }
    }

    /** Decodes or encodes the instance's frames into {@code wanted}: a Part 10 file, or the data set alone. */
    private void writeFrameByFrame(StoredInstance inst, TransferSyntax wanted, OutputStream out, boolean part10) throws IOException {
        InstanceHeader h = fullHeader(inst);
        if (wanted.encapsulated()) transcoder.writeEncoded(h, wanted, n -> frame(h, n), out, part10);
        else transcoder.write(h, wanted, out, part10);
    }

    /** The stored data set with its large values (the pixel data) left in the blob, for {@link ConvertedDataSet}. */
    private DataSet readForConversion(StoredInstance inst) throws IOException {
        try (InputStream in = store.open(inst.blobKey())) {
            return new DicomReader(in, inst.blobSize()).readFile(ReadOptions.ALL.bulkDataOver(ConvertedDataSet.IN_MEMORY)
                    .textOver(ConvertedDataSet.IN_MEMORY).within(STORED)).dataSet();
        }
    }

    private InputStream convert(StoredInstance inst, DataSet ds, TransferSyntax wanted) throws IOException {
        return ConvertedDataSet.of(ds, wanted, valuesOf(inst), (offset, length) -> openRange(inst, offset, length));
    }

    /** Largest write of a stored blob: large writes go past a buffered response (InputStream.transferTo writes 16 KB). */
    private static final int COPY_SIZE = 1 << 16;

    /** Copies a blob of about {@code size} bytes with one buffer no larger than it. */
    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[(int) Math.clamp(size, 1, COPY_SIZE)];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) out.write(buf, 0, n);
    }

    /**
     * The header with every value read (a new encoding writes them all; rendering needs palettes and functional groups),
     * the pixel data left in the blob.
     */
    public InstanceHeader fullHeader(StoredInstance inst) throws IOException {
        // The metadata worker has usually read the header already; where it left no value but the pixels in the
        // blob, it is the full header.
        InstanceHeader kept = cache.kept(inst, false);
        if (kept != null && !leftInBlob(kept.dataSet())) return kept;
        return cache.header(inst, true, () -> readFullHeader(inst));
    }

    /** Whether a value other than the top-level pixel data was left in the blob (a palette, an icon's pixels...). */
    private static boolean leftInBlob(DataSet ds) {
        for (dev.stratus.codec.Element e : ds) {
            if (e instanceof BulkDataElement && !(e.tag() == Tag.PixelData && ds.parent() == null)) return true;
            if (e instanceof dev.stratus.codec.SequenceElement sq) {
                for (DataSet item : sq.items()) if (leftInBlob(item)) return true;
            }
        }
        return false;
    }

    private InstanceHeader readFullHeader(StoredInstance inst) throws IOException {
        try (InputStream in = store.open(inst.blobKey())) {
            DicomFile f = new DicomReader(in, inst.blobSize()).readFile(ReadOptions.HEADER.within(STORED));
            BulkDataElement pixels = f.dataSet().get(Tag.PixelData) instanceof BulkDataElement b ? b : null;
            return new InstanceHeader(inst, f.dataSet(), f.transferSyntax(), pixels);
        } catch (DicomParseException e) {
            throw new IOException("stored object " + inst.blobKey() + " cannot be parsed: " + e.getMessage(), e);
        }
    }

    /** A frame (1-based) in native little endian pixels, decoded if it is compressed (for rendering). */
    public DecodedFrame frame(InstanceHeader h, int number) throws IOException {
        if (h.transferSyntax().encapsulated()) return decodeFrame(h, number);
        ImagePixel pixel = Transcoder.imagePixel(h);
        long[] range = locateFrames(h, new int[] {number}).getFirst().ranges().getFirst();
        int expected = Ybr422.subsampled(pixel) ? Ybr422.storedFrameBytes(pixel) : pixel.frameBytes();
        // one array of the frame's size, filled by positional reads: readNBytes(int) gathers 16 KB chunks and copies them
        byte[] bytes = new byte[(int) Math.min(range[1], expected)];
        if (range[1] != expected || readRange(h.instance(), range[0], java.nio.ByteBuffer.wrap(bytes)) != expected) {
            throw new IOException("frame " + number + " of instance " + h.instance().sopInstanceUid() + " is cut short in storage");
        }
        if (Ybr422.subsampled(pixel)) return Ybr422.expand(bytes, pixel);
        if (h.transferSyntax().bigEndian()) ConvertedDataSet.swap(bytes, bytes.length, pixel.bytesPerSample());
        return new DecodedFrame(bytes, pixel);
    }

    /** A frame (1-based) of an instance with encapsulated pixel data, decoded to native little endian pixels. */
    public DecodedFrame decodeFrame(InstanceHeader h, int number) throws IOException {
        ImagePixel pixel = Transcoder.imagePixel(h);
        FrameDecoder decoder = FrameDecoders.of(h.transferSyntax());
        FrameLocation location = locateFrames(h, new int[] {number}).getFirst();
        return transcoder.decode(h, decoder, location.ranges(), pixel, number);
    }

    /**
     * The instance's data set alone, without preamble and File Meta Information, as a DIMSE C-STORE carries it:
     * its stored bytes from the data set's first element on, converted among uncompressed syntaxes as it is read (its
     * large values copied from the blob a chunk at a time), or decoded or encoded frame by frame into a
     * {@link ConversionSpool} first. Opened before anything is sent, so that an instance deleted meanwhile or one that
     * cannot be converted fails here, not half-way through a message.
     */
    public InputStream openDataSet(StoredInstance inst, TransferSyntax wanted) throws IOException {
        if (wanted.uid().equals(inst.transferSyntaxUid())) {
            long start;
            try (InputStream in = store.open(inst.blobKey())) {
                start = new DicomReader(in, inst.blobSize()).readFile(ReadOptions.ALL.stopBefore(0).within(STORED)).dataSetOffset();
            } catch (DicomParseException e) {
                throw new IOException("stored object " + inst.blobKey() + " cannot be parsed: " + e.getMessage(), e);
            }
            return store.openRange(inst.blobKey(), start, inst.blobSize() - start);
        }
        checkServable(inst, wanted);
        if (wanted.encapsulated() || !TransferSyntax.of(inst.transferSyntaxUid()).isUncompressed()) {
            checkEncodable(inst, wanted);
            try (ConversionSpool dataSet = new ConversionSpool(spool, CONVERSION_IN_MEMORY)) {
                writeFrameByFrame(inst, wanted, dataSet, false);
                return dataSet.read();
            }
        }
        return convert(inst, readForConversion(inst), wanted);
    }

    /** An instance listed for a response and deleted before its blob was read: it is no longer there to answer. */
    public static final class InstanceGone extends BlobNotFoundException {
        public InstanceGone(StoredInstance inst) {
            super(inst.blobKey() + " (instance " + inst.sopInstanceUid() + " deleted meanwhile)");
        }
    }

    /**
     * The header (everything before the pixel data), with binary values over the threshold left in the blob. An
     * instance replaced after it was listed is read in its new version (a replace deletes the old blob once the
     * index has switched); one deleted meanwhile throws {@link InstanceGone}, which a listing leaves out.
     */
    public InstanceHeader header(StoredInstance inst) throws IOException {
        StoredInstance current = inst;
        for (int attempt = 1; ; attempt++) {
            try {
                return readHeader(current);
            } catch (BlobNotFoundException missing) {
                Optional<StoredInstance> now = index.findInstance(inst.tenant(), inst.studyUid(), inst.seriesUid(), inst.sopInstanceUid());
                if (now.isEmpty()) throw new InstanceGone(inst);
                if (now.get().blobKey().equals(current.blobKey()) || attempt >= 3) throw missing;
                current = now.get();
            }
        }
    }

    /**
     * Keeps the header the ingest parsed, as {@link #header} reads it ({@link #METADATA_HEADER}), from an object exactly
     * as it is stored under {@code blobKey}: a viewer's first frames of a series just stored need not parse it again.
     */
    public void keepHeader(String blobKey, long blobSize, DicomFile parsed) {
        BulkDataElement pixels = parsed.dataSet().get(Tag.PixelData) instanceof BulkDataElement b ? b : null;
        cache.keep(blobKey, blobSize, false, parsed.dataSet(), parsed.transferSyntax(), pixels);
    }

    /** Forgets what is kept of a blob being deleted (its instance replaced or deleted). */
    public void forgetHeader(String blobKey) {
        cache.forget(blobKey);
    }

    private InstanceHeader readHeader(StoredInstance inst) throws IOException {
        return cache.header(inst, false, () -> parseHeader(inst));
    }

    private InstanceHeader parseHeader(StoredInstance inst) throws IOException {
        try (InputStream in = store.open(inst.blobKey())) {
            DicomFile f = new DicomReader(in, inst.blobSize())
                    .readFile(METADATA_HEADER.within(STORED));
            BulkDataElement pixels = f.dataSet().get(Tag.PixelData) instanceof BulkDataElement b ? b : null;
            return new InstanceHeader(inst, f.dataSet(), f.transferSyntax(), pixels);
        } catch (DicomParseException e) {
            throw new IOException("stored object " + inst.blobKey() + " cannot be parsed: " + e.getMessage(), e);
        }
    }

    /** The values {@link #header} left in the instance's blob, read when a writer needs one inline (long text). */
    public BulkDataSource valuesOf(StoredInstance inst) {
        return e -> {
            if (e.isUndefinedLength() || e.length() > Integer.MAX_VALUE - 16) {
                throw new IOException("value of " + Tag.toString(e.tag()) + " is too large to write inline: " + e.length() + " bytes");
            }
            byte[] value = new byte[(int) e.length()];
            if (readRange(inst, e.offset(), java.nio.ByteBuffer.wrap(value)) != value.length) {
                throw new IOException("value of " + Tag.toString(e.tag()) + " is cut short in storage");
            }
            return value;
        };
    }

    /** Bytes of a value left in the blob (metadata BulkDataURI), exactly as stored. */
    public InputStream openRange(StoredInstance inst, long offset, long length) throws IOException {
        TransferSyntax ts = TransferSyntax.of(inst.transferSyntaxUid());
        if (ts != null && ts.deflated()) return openInflatedRange(inst, offset, length);
        if (offset < 0 || length < 0 || offset + length > inst.blobSize()) {
            throw new NotFoundException("no bulk data at " + offset + "+" + length + " in instance " + inst.sopInstanceUid());
        }
        return store.openRange(inst.blobKey(), offset, length);
    }

    /**
     * Reads what {@link #openRange} gives into {@code dst} until it is full; returns the bytes read. A direct buffer is
     * filled from a local file without a copy through the heap (frames are written from it).
     */
    public int readRange(StoredInstance inst, long offset, java.nio.ByteBuffer dst) throws IOException {
        TransferSyntax ts = TransferSyntax.of(inst.transferSyntaxUid());
        if (ts != null && ts.deflated()) {
            int start = dst.position();
            try (java.nio.channels.ReadableByteChannel ch = java.nio.channels.Channels.newChannel(openInflatedRange(inst, offset, dst.remaining()))) {
                while (dst.hasRemaining() && ch.read(dst) >= 0) { }
            }
            return dst.position() - start;
        }
        if (offset < 0 || offset + dst.remaining() > inst.blobSize()) {
            throw new NotFoundException("no bulk data at " + offset + "+" + dst.remaining() + " in instance " + inst.sopInstanceUid());
        }
        return store.read(inst.blobKey(), offset, dst);
    }

    /**
     * In a deflated instance a value's offset counts inflated bytes from the data set's start (ReadOptions): the
     * data set is inflated up to it. Rare (deflate is for documents), and bounded by the object's inflated size.
     */
    private InputStream openInflatedRange(StoredInstance inst, long offset, long length) throws IOException {
        long start;
        try (InputStream in = store.open(inst.blobKey())) {
            start = new DicomReader(in, inst.blobSize()).readFile(ReadOptions.ALL.stopBefore(0).within(STORED)).dataSetOffset();
        } catch (DicomParseException e) {
            throw new IOException("stored object " + inst.blobKey() + " cannot be parsed: " + e.getMessage(), e);
        }
        if (offset < start || length < 0) {
            throw new NotFoundException("no bulk data at " + offset + "+" + length + " in instance " + inst.sopInstanceUid());
        }
        InflatedRange range = new InflatedRange(store.open(inst.blobKey()));
        boolean ok = false;
        try {
            range.skipRaw(start);
            range.skipNBytes(offset - start);
            range.remaining = length;
            ok = true;
            return range;
        } catch (java.io.EOFException e) {
            throw new NotFoundException("no bulk data at " + offset + "+" + length + " in instance " + inst.sopInstanceUid());
        } finally {
            if (!ok) range.close();
        }
    }

    /** Inflated bytes up to a limit; ends its inflater on close. */
    private static final class InflatedRange extends java.util.zip.InflaterInputStream {
        long remaining = Long.MAX_VALUE; // unlimited while skipping to the value

        InflatedRange(InputStream raw) {
            super(raw, new java.util.zip.Inflater(true), 64 * 1024);
        }

        /** Skips the bytes before the deflated data set (preamble and meta header). */
        void skipRaw(long n) throws IOException {
            in.skipNBytes(n);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) remaining -= n;
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                inf.end();
            }
        }
    }

    /** A located frame: where its bytes are in the blob (one or more fragments) and its media type. */
    public record FrameLocation(List<long[]> ranges, String mediaType) {
        /** The frame's stored bytes. */
        public long length() {
            long n = 0;
            for (long[] r : ranges) n += r[1];
            return n;
        }
    }

    /** Locates frames (1-based numbers) by seeking, without reading the pixel data. */
    public List<FrameLocation> locateFrames(InstanceHeader h, int[] numbers) throws IOException {
        if (h.pixelData() == null) throw new NotFoundException("instance " + h.instance().sopInstanceUid() + " has no pixel data");
        TransferSyntax ts = h.transferSyntax();
        List<FrameLocation> out = new ArrayList<>();
        if (!ts.encapsulated()) {
            Frames geometry = Frames.of(h.dataSet());
            for (int n : numbers) {
                checkFrame(h, n, geometry.count());
                long start = h.pixelData().offset() + (n - 1) * geometry.frameBytes();
                if (start + geometry.frameBytes() > h.pixelData().offset() + h.pixelData().length()) {
                    throw new NotFoundException("frame " + n + " lies beyond the pixel data of instance " + h.instance().sopInstanceUid());
                }
                out.add(new FrameLocation(List.of(new long[] {start, geometry.frameBytes()}), "application/octet-stream"));
            }
            return out;
        }
        List<List<long[]>> frames = cache.frameTable(h.instance().blobKey(), () -> EncapsulatedFrames.scan(store, h));
        for (int n : numbers) {
            checkFrame(h, n, frames.size());
            out.add(new FrameLocation(frames.get(n - 1), ts.mediaType() == null ? "application/octet-stream" : ts.mediaType()));
        }
        return out;
    }

    private static void checkFrame(InstanceHeader h, int n, int count) {
        if (n < 1 || n > count) {
            throw new NotFoundException("frame " + n + " does not exist: instance " + h.instance().sopInstanceUid() + " has " + count + " frame(s)");
        }
    }

    public InputStream open(StoredInstance inst) throws IOException {
        return store.open(inst.blobKey());
    }

    public BlobStore store() { return store; }

    static DataSet emptyIfNull(DataSet ds) { return ds == null ? new DataSet() : ds; }
}
