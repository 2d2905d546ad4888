package dev.stratus.dimse;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.ParseBudget;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** C-STORE of data sets built to hurt: refused with the ingest path's status and reason, the association goes on. */
@Timeout(60)
class StoreHostileDataSetTest {
    static final String CT = GeneratedCt.CT_IMAGE_STORAGE;

    @TempDir
    Path dir;

    private static CommandSet store(TestPeer peer, int pc, CommandSet rq, byte[] data) throws Exception {
        peer.sendMessage(pc, rq, data, 16000);
        return peer.readMessage().command();
    }

    @Test
    void overBudgetIsOutOfResourcesAndAMultiValuedSopInstanceUidDoesNotMatchItsSopClass() throws Exception {
        try (TestArchive archive = new TestArchive(dir, s -> s, Authenticator.ACCEPT_ALL,
                a -> a.withParseBudget(ParseBudget.DEFAULT.withMaxElements(5_000)))) {
            String many = Uids.generate(), multi = Uids.generate(), fine = Uids.generate();
            DataSet manyItems = GeneratedCt.ct(Uids.generate(), Uids.generate(), many, "Many^Items", "D1", 1);
            List<DataSet> items = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) items.add(new DataSet());
            manyItems.setSequence(0x00081115, items);
            DataSet twoUids = GeneratedCt.ct(Uids.generate(), Uids.generate(), multi, "Two^Uids", "D2", 1);
            twoUids.setString(Tag.SOPInstanceUID, VR.UI, multi, "4.5");
            try (TestPeer peer = new TestPeer(archive.port)) {
                peer.associate(TestPeer.rq("TESTPEER", "STRATUS", 16384, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT)));
                CommandSet over = store(peer, 1, Requests.store(1, CT, many), DicomWriter.encode(manyItems, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
                assertEquals(0xA700, over.status());
                assertTrue(over.getString(Tag.ErrorComment).contains("5,000 elements and items"), over.getString(Tag.ErrorComment));
                CommandSet two = store(peer, 1, Requests.store(2, CT, multi), DicomWriter.encode(twoUids, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
                assertEquals(0xA900, two.status());
                assertTrue(two.getString(Tag.ErrorComment).contains("SOPInstanceUID has 2 values"), two.getString(Tag.ErrorComment));
                DataSet ok = GeneratedCt.ct(Uids.generate(), Uids.generate(), fine, "Fine^After", "D3", 1);
                assertEquals(0, store(peer, 1, Requests.store(3, CT, fine), DicomWriter.encode(ok, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)).status());
                peer.release();
            }
            assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, many).isEmpty());
            assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, multi).isEmpty());
            assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, fine).isPresent());
            archive.awaitNoAssociations();
            assertEquals(0, archive.spooledFiles());
            try (var s = java.nio.file.Files.list(dir.resolve("spool"))) {
                assertEquals(List.of(), s.toList());
            }
        }
    }
}
