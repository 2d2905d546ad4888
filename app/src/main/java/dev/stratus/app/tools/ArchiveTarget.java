package dev.stratus.app.tools;

import dev.stratus.archive.Archive;
import dev.stratus.archive.ingest.IngestBatch;
import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.index.TenantId;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Imports through the archive's own store path (IngestService), with the server stopped: the same examination, blob
 * placement and index transaction as a STOW-RS request, without HTTP. Series metadata documents are built by the
 * server's worker once it runs again (the series are left marked as changed).
 */
final class ArchiveTarget implements ImportTarget {
    private final Archive archive;
    private final TenantId tenant;
    private final String where;

    ArchiveTarget(Archive archive, TenantId tenant, String where) {
        this.archive = archive;
        this.tenant = tenant;
        this.where = where;
    }

    @Override
    public Set<String> alreadyStored(Collection<String> sopInstanceUids) {
        Set<String> found = new HashSet<>();
        for (String uid : sopInstanceUids) {
            if (archive.index().findInstance(tenant, null, null, uid).isPresent()) found.add(uid);
        }
        return found;
    }

    @Override
    public List<ImportOutcome> store(List<Candidate> batch) throws IOException {
        List<ImportOutcome> outcomes = new ArrayList<>(batch.size());
        List<Integer> offered = new ArrayList<>(); // positions of the candidates the ingest batch got, in order
        for (int i = 0; i < batch.size(); i++) outcomes.add(null);
        try (IngestBatch ingest = archive.ingest().batch(tenant, null, "stratus import")) {
            for (int i = 0; i < batch.size(); i++) {
                try (InputStream in = batch.get(i).item().open()) {
                    ingest.add(in);
                    offered.add(i);
                } catch (IOException e) { // this item's bytes could not be read (a broken zip entry): the others go on
                    outcomes.set(i, new ImportOutcome.Refused("cannot read it: " + e.getMessage()));
                }
            }
            List<IngestOutcome> results = ingest.commit();
            for (int k = 0; k < results.size(); k++) {
                outcomes.set(offered.get(k), switch (results.get(k)) {
                    case IngestOutcome.Stored s -> new ImportOutcome.Stored(s.replaced());
                    case IngestOutcome.Failed f -> new ImportOutcome.Refused(f.message() + String.format(" (%04X)", f.reason()));
                });
            }
        }
        return outcomes;
    }

    @Override
    public String describe() {
        return where + (tenant.equals(TenantId.DEFAULT) ? "" : ", tenant " + tenant.name());
    }

    @Override
    public void close() {
        archive.close();
    }
}
