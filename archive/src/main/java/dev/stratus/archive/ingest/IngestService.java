package dev.stratus.archive.ingest;

import dev.stratus.archive.BlobKeys;
import dev.stratus.archive.DataSets;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.index.Index;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.StoreResult;
import dev.stratus.index.TenantId;
import dev.stratus.pipeline.ArchiveEvent;
import dev.stratus.pipeline.EventBus;
import dev.stratus.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one ingest path of the archive (STOW-RS and C-STORE): spool, parse, validate, store the bytes
 * durably, index in one transaction, publish an event. Acknowledged means durable and visible to
 * queries. A crash at any step leaves at worst an unreferenced blob, which nothing serves.
 */
public final class IngestService {
    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    /**
     * Values longer than this are not needed to index an instance: they are skipped on disk, but their
     * lengths are still checked, so a truncated object is refused rather than stored.
     */
    private static final long HEADER_BULK_THRESHOLD = 64 * 1024;

    private final Index index;
    private final BlobStore store;
    private final EventBus events;
    private final Path spoolDir;

    public IngestService(Index index, BlobStore store, EventBus events, Path spoolDir) throws IOException {
        this.index = index;
        this.store = store;
        this.events = events;
        this.spoolDir = Files.createDirectories(spoolDir);
    }

    /**
     * Stores one instance read from {@code in} (a Part 10 file, or a bare data set in Explicit VR Little
     * Endian). {@code expectedStudyUid}, when not null, must match the instance's Study Instance UID.
     * Index failures (IndexUnavailableException) propagate: the caller answers 503.
     */
    public IngestOutcome ingest(TenantId tenant, InputStream in, String expectedStudyUid, String source) throws IOException {
        Path spooled = Files.createTempFile(spoolDir, "ingest-", ".dcm");
        try {
            try (OutputStream out = Files.newOutputStream(spooled)) {
                in.transferTo(out);
            }
            return ingestSpooled(tenant, spooled, expectedStudyUid, source);
        } finally {
            Files.deleteIfExists(spooled);
        }
    }

    private IngestOutcome ingestSpooled(TenantId tenant, Path file, String expectedStudyUid, String source) throws IOException {
        DicomFile parsed;
        try (InputStream in = Files.newInputStream(file)) {
            parsed = new DicomReader(in, Files.size(file)).readFile(ReadOptions.ALL.bulkDataOver(HEADER_BULK_THRESHOLD));
        } catch (DicomParseException e) {
            return new IngestOutcome.Failed(null, null, FailureReason.CANNOT_UNDERSTAND, "not a readable DICOM object: " + e.getMessage());
        }
        DataSet ds = parsed.dataSet();
        String sopClass = ds.getString(Tag.SOPClassUID);
        String sop = ds.getString(Tag.SOPInstanceUID);
        String study = ds.getString(Tag.StudyInstanceUID);
        String series = ds.getString(Tag.SeriesInstanceUID);
        String problem = firstProblem(sopClass, "SOPClassUID", sop, "SOPInstanceUID", study, "StudyInstanceUID", series, "SeriesInstanceUID");
        if (problem != null) {
            return new IngestOutcome.Failed(sopClass, sop, FailureReason.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, problem);
        }
        if (expectedStudyUid != null && !expectedStudyUid.equals(study)) {
            return new IngestOutcome.Failed(sopClass, sop, FailureReason.DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
                    "StudyInstanceUID " + study + " does not match the study " + expectedStudyUid + " of the request URL");
        }
        TransferSyntax ts = parsed.transferSyntax();
        String declaredTs = parsed.fileMeta().getString(Tag.TransferSyntaxUID);
        if (declaredTs != null && TransferSyntax.of(declaredTs) == null) {
            return new IngestOutcome.Failed(sopClass, sop, FailureReason.TRANSFER_SYNTAX_NOT_SUPPORTED,
                    "transfer syntax " + declaredTs + " is not one this archive can read");
        }
        if (declaredTs == null || !parsed.hasPreamble()) {
            rewriteAsPart10(file, ts); // no or incomplete meta header: store a proper Part 10 file
        }
        String key = BlobKeys.instance(tenant, study, series, sop);
        long size = store.putFile(key, file);
        InstanceRecord record = new InstanceRecord(tenant, study, series, sop, sopClass, ts.uid(), key, size,
                DataSets.withoutBulkData(ds));
        StoreResult result;
        try {
            result = index.store(List.of(record));
        } catch (RuntimeException e) {
            deleteQuietly(key);
            throw e;
        }
        if (!result.conflicts().isEmpty()) {
            deleteQuietly(key);
            return new IngestOutcome.Failed(sopClass, sop, FailureReason.PROCESSING_FAILURE, result.conflicts().getFirst().reason());
        }
        for (String old : result.replacedBlobKeys()) deleteQuietly(old);
        events.publish(new ArchiveEvent.InstanceStored(tenant, study, series, sop, sopClass, source));
        String metaSop = parsed.fileMeta().getString(Tag.MediaStorageSOPInstanceUID);
        String warning = metaSop != null && !metaSop.equals(sop)
                ? "MediaStorageSOPInstanceUID " + metaSop + " in the file meta information differs from SOPInstanceUID" : null;
        return new IngestOutcome.Stored(study, series, sopClass, sop, ts.uid(), !result.replacedBlobKeys().isEmpty(),
                warning == null ? null : FailureReason.WARNING_DATA_SET_DOES_NOT_MATCH, warning);
    }

    private static String firstProblem(String... valueAndName) {
        for (int i = 0; i < valueAndName.length; i += 2) {
            String value = valueAndName[i], name = valueAndName[i + 1];
            if (value == null) return name + " is missing";
            String p = Uids.problem(value);
            if (p != null) return name + " " + p;
        }
        return null;
    }

    /** Re-encodes a file that came without (complete) File Meta Information as Part 10 in its own syntax. */
    private void rewriteAsPart10(Path file, TransferSyntax ts) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        DicomFile whole = DicomReader.read(bytes);
        try (OutputStream out = Files.newOutputStream(file)) {
            DicomWriter.writeFile(out, whole.dataSet(), ts, null);
        }
    }

    private void deleteQuietly(String key) {
        try {
            store.delete(key);
        } catch (IOException e) {
            log.warn("could not delete blob {} (left as an unreferenced orphan): {}", key, e.toString());
        }
    }
}
