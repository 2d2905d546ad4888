package dev.stratus.web;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.codec.json.DicomJsonReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The first series metadata right after a large STOW-RS, answered live (the worker has not built the document yet),
 * holds every instance stored, each exactly as its own instance metadata, and is the document the worker then stores.
 */
class LargeSeriesMetadataTest {
    private static final int INSTANCES = 300;

    @TempDir
    Path dir;

    @Test
    void firstSeriesMetadataAfterALargeStowHoldsEveryInstanceAsItsInstanceMetadataDoes() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            String study = Uids.generate(), series = Uids.generate();
            Set<String> stored = new HashSet<>();
            for (int request = 0; request < 3; request++) {
                Multipart body = new Multipart();
                for (int i = 0; i < INSTANCES / 3; i++) {
                    String sop = Uids.generate();
                    DataSet ds = GeneratedCt.ct(study, series, sop, "Large^Series", "P20", stored.size() + 1);
                    // a long text in some: a BulkDataURI in the metadata, not an inline value
                    if (i % 7 == 0) ds.setString(Tag.ImageComments, VR.LT, "comment ".repeat(300));
                    body.part(GeneratedCt.part10(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
                    stored.add(sop);
                }
                assertEquals(200, archive.stow("/dicomweb/studies", body.end()).statusCode());
            }
            String path = "/dicomweb/studies/" + study + "/series/" + series + "/metadata";

            HttpResponse<String> live = archive.get(path, "application/dicom+json");
            assertEquals(200, live.statusCode());
            List<DataSet> instances = new DicomJsonReader().readArray(live.body());
            List<String> sops = new ArrayList<>();
            for (DataSet ds : instances) sops.add(ds.getString(Tag.SOPInstanceUID));
            assertEquals(stored, new HashSet<>(sops), "every instance stored, once each");
            assertEquals(INSTANCES, sops.size());

            List<String> each = new ArrayList<>();
            for (String sop : sops) {
                String one = archive.get("/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop + "/metadata",
                        "application/dicom+json").body();
                each.add(one.substring(1, one.length() - 1)); // "[{...}]": the object
            }
            assertEquals("[" + String.join(",", each) + "]", live.body(), "each instance as its own metadata has it, in order");

            archive.buildSeriesMetadata(study, series);
            assertEquals(live.body(), archive.get(path, "application/dicom+json").body(), "the worker's document is the live answer");
        }
    }
}
