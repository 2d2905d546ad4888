package dev.stratus.dimse;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.dimse.message.CommandSet;
import dev.stratus.dimse.message.Status;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** C-STORE SCP statuses through a hand-driven SCU: tenant selection, refusals with their status and Error Comment, outages. */
@Timeout(60)
class StorageScpTest {
    static final String CT = GeneratedCt.CT_IMAGE_STORAGE;
    static final String MR = "1.2.840.10008.5.1.4.1.1.4";

    @TempDir
    Path dir;

    private static byte[] ct(String sop) throws Exception {
        return DicomWriter.encode(GeneratedCt.ct(Uids.generate(), Uids.generate(), sop, "Store^Test", "ST1", 1), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static CommandSet store(TestPeer peer, int pc, CommandSet rq, byte[] data) throws Exception {
        peer.sendMessage(pc, rq, data, 16000);
        return peer.readMessage().command();
    }

    @Test
    void tenantComesFromTheCalledAeTitleElseTheCommandElseTheDefault() throws Exception {
        TenantId mapped = new TenantId("mapped"), named = new TenantId("named");
        try (TestArchive archive = new TestArchive(dir, s -> s.withTenants(TenantId.DEFAULT, Map.of("MAPPED", mapped),
                Map.of(new TenantId("locked"), Set.of("SOMEONE"))))) {
            String a = Uids.generate(), b = Uids.generate(), c = Uids.generate(), d = Uids.generate(), e = Uids.generate();
            try (TestPeer peer = new TestPeer(archive.port)) {
                peer.associate(TestPeer.rq("TESTPEER", "STRATUS", 16384, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT)));
                assertEquals(Status.SUCCESS, store(peer, 1, Requests.store(1, CT, a), ct(a)).status());
                CommandSet withTenant = Requests.store(2, CT, b).putText(TenantPolicy.TENANT_COMMAND_ATTRIBUTE, "named");
                assertEquals(Status.SUCCESS, store(peer, 1, withTenant, ct(b)).status());
                CommandSet invalid = Requests.store(3, CT, c).putText(TenantPolicy.TENANT_COMMAND_ATTRIBUTE, "../etc");
                CommandSet rsp = store(peer, 1, invalid, ct(c));
                assertEquals(Status.CANNOT_UNDERSTAND, rsp.status());
                assertTrue(rsp.getString(Tag.ErrorComment).contains("tenant"), rsp.getString(Tag.ErrorComment));
                CommandSet locked = Requests.store(4, CT, d).putText(TenantPolicy.TENANT_COMMAND_ATTRIBUTE, "locked");
                assertEquals(Status.NOT_AUTHORIZED, store(peer, 1, locked, ct(d)).status());
                peer.release();
            }
            try (TestPeer peer = new TestPeer(archive.port)) {
                peer.associate(TestPeer.rq("TESTPEER", "MAPPED", 16384, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT)));
                CommandSet ignored = Requests.store(1, CT, e).putText(TenantPolicy.TENANT_COMMAND_ATTRIBUTE, "named");
                assertEquals(Status.SUCCESS, store(peer, 1, ignored, ct(e)).status());
                peer.release();
            }
            assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, a).isPresent());
            assertTrue(archive.index.findInstance(named, null, null, b).isPresent());
            assertTrue(archive.index.findInstance(named, null, null, a).isEmpty());
            assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, c).isEmpty());
            assertTrue(archive.index.findInstance(new TenantId("locked"), null, null, d).isEmpty());
            assertTrue(archive.index.findInstance(mapped, null, null, e).isPresent(), "the called AE title's tenant wins");
            archive.awaitNoAssociations();
            assertEquals(0, archive.spooledFiles());
        }
    }

    @Test
    void sopClassMustBeThePresentationContextsAndAStorageOne() throws Exception {
        try (TestArchive archive = new TestArchive(dir); TestPeer peer = new TestPeer(archive.port)) {
            peer.associate(TestPeer.pc(1, CT, TestPeer.EXPLICIT), TestPeer.pc(3, "1.2.840.10008.1.1", TestPeer.EXPLICIT));
            String sop = Uids.generate();
            assertEquals(Status.SOP_CLASS_NOT_SUPPORTED, store(peer, 1, Requests.store(1, MR, sop), ct(sop)).status());
            assertEquals(Status.SOP_CLASS_NOT_SUPPORTED, store(peer, 3, Requests.store(2, "1.2.840.10008.1.1", sop), ct(sop)).status());
            assertEquals(Status.CANNOT_UNDERSTAND, store(peer, 1, Requests.store(3, CT, "not.a.uid"), ct(sop)).status());
            assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, sop).isEmpty());
            peer.release();
        }
    }

    @Test
    void dataSetThatDoesNotMatchTheCommandIsFlagged() throws Exception {
        try (TestArchive archive = new TestArchive(dir); TestPeer peer = new TestPeer(archive.port)) {
            peer.associate(TestPeer.pc(1, CT, TestPeer.EXPLICIT));
            String inCommand = Uids.generate(), inDataSet = Uids.generate();
            CommandSet rsp = store(peer, 1, Requests.store(1, CT, inCommand), ct(inDataSet));
            assertEquals(Status.WARNING_DATA_SET_DOES_NOT_MATCH, rsp.status(), "stored, with a warning");
            assertNotNull(rsp.getString(Tag.ErrorComment));
            assertTrue(archive.index.findInstance(TenantId.DEFAULT, null, null, inDataSet).isPresent());
            byte[] garbage = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
            String sop = Uids.generate();
            rsp = store(peer, 1, Requests.store(2, CT, sop), garbage);
            assertEquals(Status.CANNOT_UNDERSTAND, rsp.status());
            assertTrue(rsp.getString(Tag.ErrorComment).contains("not a readable DICOM object"), rsp.getString(Tag.ErrorComment));
            peer.release();
        }
    }

    /** The pydicom files storescu will not send (no SOP Class/Instance UID), sent by hand under UIDs put in the command: refused 0xA900. */
    @Test
    void filesWithoutTheirUidsAreRefusedAsNotMatchingTheSopClass() throws Exception {
        try (TestArchive archive = new TestArchive(dir); TestPeer peer = new TestPeer(archive.port)) {
            peer.associate(TestPeer.pc(1, CT, TestPeer.EXPLICIT, TestPeer.IMPLICIT));
            int refused = 0, messageId = 1;
            for (String name : new String[] {"meta_missing_tsyntax.dcm", "nested_priv_SQ.dcm", "no_meta_group_length.dcm", "priv_SQ.dcm",
                    "empty_charset_LEI.dcm", "chrSQEncoding.dcm"}) {
                Path p = TestFiles.file(name);
                DicomFile f = DicomReader.read(Files.readAllBytes(p));
                DataSet ds = f.dataSet();
                assertTrue(ds.getString(Tag.SOPInstanceUID) == null || ds.getString(Tag.StudyInstanceUID) == null, name);
                byte[] bytes = DicomWriter.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
                CommandSet rsp = store(peer, 1, Requests.store(messageId++, CT, Uids.generate()), bytes);
                assertEquals(Status.DOES_NOT_MATCH_SOP_CLASS, rsp.status(), name);
                assertTrue(rsp.getString(Tag.ErrorComment).contains("UID is missing"), name + ": " + rsp.getString(Tag.ErrorComment));
                refused++;
            }
            assertEquals(6, refused);
            peer.release();
        }
    }

    @Test
    void indexOutageIsOutOfResourcesNeverSuccess() throws Exception {
        try (TestArchive archive = new TestArchive(dir, s -> s, Authenticator.ACCEPT_ALL, a -> a.withIndex(DOWN, "stratus", "", false));
             TestPeer peer = new TestPeer(archive.port)) {
            peer.associate(TestPeer.pc(1, CT, TestPeer.EXPLICIT), TestPeer.pc(3, "1.2.840.10008.5.1.4.1.2.2.1", TestPeer.EXPLICIT));
            String sop = Uids.generate();
            CommandSet rsp = store(peer, 1, Requests.store(1, CT, sop), ct(sop));
            assertEquals(Status.OUT_OF_RESOURCES, rsp.status());
            assertTrue(rsp.getString(Tag.ErrorComment).contains("index unavailable"), rsp.getString(Tag.ErrorComment));
            DataSet keys = new DataSet();
            keys.setString(0x00080052, dev.stratus.codec.VR.CS, "STUDY");
            keys.setString(Tag.StudyInstanceUID, dev.stratus.codec.VR.UI, "");
            peer.sendMessage(3, Requests.find(2, "1.2.840.10008.5.1.4.1.2.2.1"), DicomWriter.encode(keys, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), 16000);
            assertEquals(Status.OUT_OF_RESOURCES, peer.readMessage().command().status());
            peer.release();
        }
    }

    @Test
    void spoolFailureIsOutOfResources() throws Exception {
        try (TestArchive archive = new TestArchive(dir); TestPeer peer = new TestPeer(archive.port)) {
            Files.delete(archive.settings.spoolDir());
            Files.writeString(archive.settings.spoolDir(), "not a directory");
            peer.associate(TestPeer.pc(1, CT, TestPeer.EXPLICIT));
            String sop = Uids.generate();
            CommandSet rsp = store(peer, 1, Requests.store(1, CT, sop), ct(sop));
            assertEquals(Status.OUT_OF_RESOURCES, rsp.status());
            assertFalse(archive.index.findInstance(TenantId.DEFAULT, null, null, sop).isPresent());
            peer.release();
        }
    }

    /** An index database that is down (nothing listens on port 1): opened without migrating, every call is unavailable. */
    static final String DOWN = "jdbc:postgresql://127.0.0.1:1/stratus";
}
