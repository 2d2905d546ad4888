package dev.stratus.web.stow;

import dev.stratus.archive.ingest.FailureReason;
import dev.stratus.archive.ingest.IngestBatch;
import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.archive.StorageSpace;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.storage.SpooledFile;
import dev.stratus.web.http.MediaType;
import dev.stratus.web.http.MultipartException;
import dev.stratus.web.http.MultipartRelatedReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A STOW-RS body of metadata and bulk data (PS3.18 10.5.1.4): application/dicom+json (one JSON array) or
 * application/dicom+xml (one instance per part) metadata, the other parts bulk data spooled under their
 * Content-Location. Once the body is read, each instance is made a Part 10 file ({@link Part10Assembly}) and offered
 * to the batch like an application/dicom part, so that its outcome is in the same response; an instance whose
 * bulk data is missing or ambiguous fails alone, with the reason. application/dicom parts may come in between.
 */
final class MetadataAndBulkData {
    /** An instance of the metadata and the part it came in. */
    private record Pending(int part, int index, DataSet metadata) {}

    private final IngestBatch batch;
    private final StorageSpace space;
    private final MediaType root;
    private final int maxParts;
    private final StowMetadata metadata;
    private final List<Pending> instances = new ArrayList<>();
    private int unreferenced;

    /** @param root the multipart type: application/dicom+json or application/dicom+xml */
    MetadataAndBulkData(IngestBatch batch, StorageSpace space, MediaType root, int maxParts) {
        this.batch = batch;
        this.space = space;
        this.root = root;
        this.maxParts = maxParts;
        this.metadata = new StowMetadata(batch.parseBudget());
    }

    /** Bulk data parts no instance referenced, ignored (PS3.18 gives bulk data no meaning outside a reference). */
    int unreferenced() {
        return unreferenced;
    }

    /** Reads the body, then offers its instances to the batch; returns why the rest was not read, or null. */
    StowHandler.Unread receive(MultipartRelatedReader reader, String requestUri) throws IOException {
        try (BulkDataParts bulk = new BulkDataParts(requestUri)) {
            StowHandler.Unread unread = read(reader, bulk);
            for (Pending p : instances) {
                switch (Part10Assembly.of(p.metadata(), bulk, batch.parseBudget().maxValueBytes())) {
                    case Part10Assembly.Result.Ready r -> batch.add(r.part10());
                    case Part10Assembly.Result.Refused r -> batch.addFailure(new IngestOutcome.Failed(
                            p.metadata().getString(Tag.SOPClassUID), p.metadata().getString(Tag.SOPInstanceUID), r.reason(),
                            where(p) + r.message()));
                }
            }
            unreferenced = bulk.unreferenced();
            return unread;
        }
    }

    private static String where(Pending p) {
        return "instance " + (p.index() + 1) + " of the metadata in part " + p.part() + ": ";
    }

    private StowHandler.Unread read(MultipartRelatedReader reader, BulkDataParts bulk) throws IOException {
        try {
            for (Optional<MultipartRelatedReader.Part> next = reader.next(); next.isPresent(); next = reader.next()) {
                MultipartRelatedReader.Part part = next.get();
                if (part.number() + instances.size() > maxParts) {
                    return new StowHandler.Unread("the body holds more than " + maxParts + " parts and metadata instances (the most one"
                            + " request may hold): part " + part.number() + " and any after it were not read; send them in another request",
                            413, FailureReason.CANNOT_UNDERSTAND);
                }
                // RFC 2387 3.1: the type parameter is the root (first) part's type when it has none
                MediaType type = part.contentType().orElse(part.number() == 1 ? root : null);
                String essence = type == null ? "" : type.essence();
                if (essence.equalsIgnoreCase(root.essence())) {
                    readMetadata(part);
                } else if (essence.equalsIgnoreCase("application/dicom")) {
                    batch.add(part.body());
                } else {
                    SpooledFile file;
                    try {
                        file = batch.receiveBulkData(part.body());
                    } catch (IOException e) {
                        if (!space.observe(e)) throw e;
                        return new StowHandler.Unread("storage full: bulk data part " + part.number() + " and any after it were not"
                                + " read; retry once space is freed", 507, FailureReason.OUT_OF_RESOURCES);
                    }
                    bulk.add(new BulkDataParts.Part(part.number(), part.contentLocation().orElse(null), type, file));
                }
                if (batch.storageFull() != null) {
                    return new StowHandler.Unread("storage full: part " + (part.number() + 1) + " and any after it were not read; "
                            + "retry once space is freed", 507, FailureReason.OUT_OF_RESOURCES);
                }
            }
            return null;
        } catch (MultipartException e) {
            return new StowHandler.Unread("malformed multipart body: " + e.getMessage() + "; nothing after that point was read", 400,
                    FailureReason.CANNOT_UNDERSTAND);
        }
    }

    private void readMetadata(MultipartRelatedReader.Part part) throws IOException {
        try {
            List<DataSet> read = root.essence().equals("application/dicom+json")
                    ? metadata.json(part.body()) : List.of(metadata.xml(part.body()));
            for (int i = 0; i < read.size(); i++) instances.add(new Pending(part.number(), i, read.get(i)));
        } catch (StowMetadata.Refused e) {
            batch.addFailure(new IngestOutcome.Failed(null, null, FailureReason.CANNOT_UNDERSTAND,
                    "the metadata in part " + part.number() + " cannot be read: " + e.getMessage()));
        }
    }
}
