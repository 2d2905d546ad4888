package dev.stratus.web;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.json.DicomJsonReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** STOW-RS parts built to exhaust the archive are refused one by one (0xA700, reason in words), never a 5xx. */
class StowHostileInputTest {
    private static final int ReasonText = 0x00091001;

    @TempDir
    Path dir;
    TestArchive archive;
    final DicomJsonReader json = new DicomJsonReader();

    @BeforeEach
    void start() throws Exception {
        archive = new TestArchive(dir);
    }

    @AfterEach
    void stop() {
        archive.close();
    }

    /** A CT whose Referenced Series Sequence holds {@code items} empty items: 8 bytes each on the wire. */
    private static byte[] withEmptyItems(int items) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "Many^Items", "H1", 1),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        // a private sequence (7FE1,1010) after Pixel Data, of undefined length
        out.writeBytes(new byte[] {(byte) 0xE1, 0x7F, 0x10, 0x10, 'S', 'Q', 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        byte[] item = {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 0, 0, 0, 0};
        for (int i = 0; i < items; i++) out.writeBytes(item);
        out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0});
        return out.toByteArray();
    }

    private void assertSpoolEmpty() throws Exception {
        try (var s = Files.list(dir.resolve("spool"))) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void aPartOverTheElementBudgetFailsWith0xA700AndItsReasonWhileAGoodPartIsStored() throws Exception {
        byte[] good = GeneratedCt.part10(GeneratedCt.ct(Uids.generate(), Uids.generate(), Uids.generate(), "Good^Part", "G1", 1),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] hostile = withEmptyItems(1_000_001); // 8 MB: a million items and the elements around them
        HttpResponse<String> r = archive.stow("/dicomweb/studies", new Multipart().part(hostile).part(good).end());
        assertEquals(202, r.statusCode(), r.body());
        DataSet body = json.read(r.body());
        assertEquals(1, body.getItems(Tag.ReferencedSOPSequence).size());
        DataSet failed = body.getItems(Tag.FailedSOPSequence).getFirst();
        assertEquals(0xA700, failed.getInt(Tag.FailureReason, -1));
        String reason = failed.getString(ReasonText);
        assertTrue(reason.contains("over the parse budget of 1,000,000 elements and items"), reason);
        assertTrue(reason.contains("(7FE1,1010)["), reason);
        assertSpoolEmpty();
    }

    @Test
    void aRequestOfOnlyAnOverBudgetPartAnswers409WithFailedSopSequence() throws Exception {
        HttpResponse<String> r = archive.stow("/dicomweb/studies", new Multipart().part(withEmptyItems(1_000_001)).end());
        assertEquals(409, r.statusCode(), r.body());
        DataSet failed = json.read(r.body()).getItems(Tag.FailedSOPSequence).getFirst();
        assertEquals(0xA700, failed.getInt(Tag.FailureReason, -1));
        assertSpoolEmpty();
        // and the archive still stores what is within budget
        HttpResponse<String> ok = archive.stow("/dicomweb/studies", new Multipart().part(withEmptyItems(1000)).end());
        assertEquals(200, ok.statusCode(), ok.body());
    }
}
