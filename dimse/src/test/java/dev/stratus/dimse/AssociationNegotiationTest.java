package dev.stratus.dimse;

import dev.stratus.codec.GeneratedCt;
import dev.stratus.codec.DicomWriter;
import dev.stratus.dimse.pdu.AAbort;
import dev.stratus.dimse.pdu.AAssociateAc;
import dev.stratus.dimse.pdu.AAssociateRj;
import dev.stratus.dimse.pdu.AAssociateRq;
import dev.stratus.dimse.pdu.Pdu;
import dev.stratus.dimse.pdu.PresentationContextAc;
import dev.stratus.dimse.pdu.UserIdentity;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A-ASSOCIATE negotiation (PS3.8 7.1, PS3.7 D.3.3): rejections with the right result/source/reason, presentation contexts, user identity, timers. */
@Timeout(60)
class AssociationNegotiationTest {
    static final String CT = GeneratedCt.CT_IMAGE_STORAGE;
    static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

    @TempDir
    Path dir;

    private static void assertRejected(int result, int source, int reason, Pdu answer) {
        AAssociateRj rj = TestPeer.rejection(answer);
        assertEquals(List.of(result, source, reason), List.of(rj.result(), rj.source(), rj.reason()), rj.toString());
    }

    @Test
    void presentationContextsAreAnsweredOneByOneInTheProposedPreference() throws Exception {
        try (TestArchive archive = new TestArchive(dir); TestPeer peer = new TestPeer(archive.port)) {
            AAssociateAc ac = peer.associate(
                    TestPeer.pc(1, CT, JPEG_BASELINE, TestPeer.EXPLICIT),          // first proposed wins
                    TestPeer.pc(3, CT, "1.2.3.999", TestPeer.IMPLICIT),           // unknown syntax skipped
                    TestPeer.pc(5, CT, "1.2.3.999"),                               // nothing acceptable
                    TestPeer.pc(7, "1.2.3.4.5.6.7", TestPeer.EXPLICIT),            // not a SOP class we serve
                    TestPeer.pc(9, "1.2.840.10008.5.1.4.1.2.2.1", JPEG_BASELINE, TestPeer.EXPLICIT), // C-FIND: native only
                    TestPeer.pc(11, "1.2.840.10008.1.1", TestPeer.IMPLICIT));
            List<PresentationContextAc> pcs = ac.presentationContexts();
            assertEquals(new PresentationContextAc(1, 0, JPEG_BASELINE), pcs.get(0));
            assertEquals(new PresentationContextAc(3, 0, TestPeer.IMPLICIT), pcs.get(1));
            assertEquals(PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED, pcs.get(2).result());
            assertEquals(PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED, pcs.get(3).result());
            assertEquals(new PresentationContextAc(9, 0, TestPeer.EXPLICIT), pcs.get(4));
            assertEquals(new PresentationContextAc(11, 0, TestPeer.IMPLICIT), pcs.get(5));
            assertEquals(DimseSettings.DEFAULT_MAX_PDU_LENGTH, ac.userInformation().maxPduLength());
            assertEquals(DicomWriter.IMPLEMENTATION_CLASS_UID, ac.userInformation().implementationClassUid());
            assertEquals(DicomWriter.IMPLEMENTATION_VERSION_NAME, ac.userInformation().implementationVersionName());
            assertEquals("STRATUS", ac.calledAeTitle());
            assertEquals("TESTPEER", ac.callingAeTitle());
            peer.release();
        }
    }

    @Test
    void wrongApplicationContextAndProtocolVersionAreRejected() throws Exception {
        try (TestArchive archive = new TestArchive(dir)) {
            try (TestPeer peer = new TestPeer(archive.port)) {
                AAssociateRq rq = TestPeer.rq("A", "STRATUS", 0, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT));
                Pdu answer = peer.associate(new AAssociateRq(1, rq.calledAeTitle(), rq.callingAeTitle(), "1.2.3", rq.presentationContexts(), rq.userInformation()));
                assertRejected(AAssociateRj.REJECTED_PERMANENT, AAssociateRj.SOURCE_SERVICE_USER, AAssociateRj.APPLICATION_CONTEXT_NAME_NOT_SUPPORTED, answer);
                assertTrue(peer.closedByServer());
            }
            try (TestPeer peer = new TestPeer(archive.port)) {
                AAssociateRq rq = TestPeer.rq("A", "STRATUS", 0, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT));
                Pdu answer = peer.associate(new AAssociateRq(2, rq.calledAeTitle(), rq.callingAeTitle(), rq.applicationContextName(), rq.presentationContexts(), rq.userInformation()));
                assertRejected(AAssociateRj.REJECTED_PERMANENT, AAssociateRj.SOURCE_SERVICE_PROVIDER_ACSE, AAssociateRj.PROTOCOL_VERSION_NOT_SUPPORTED, answer);
            }
            archive.awaitNoAssociations();
        }
    }

    @Test
    void callingAeTitlesAreRestrictedPerTenantAndCalledAeTitlesMayBe() throws Exception {
        TenantId radiology = new TenantId("radiology");
        try (TestArchive archive = new TestArchive(dir, s -> s
                .withTenants(TenantId.DEFAULT, Map.of("RAD", radiology), Map.of(radiology, Set.of("MODALITY1")))
                .withCalledAeTitlePolicy("STRATUS", false))) {
            try (TestPeer peer = new TestPeer(archive.port)) {
                assertRejected(AAssociateRj.REJECTED_PERMANENT, AAssociateRj.SOURCE_SERVICE_USER, AAssociateRj.CALLING_AE_TITLE_NOT_RECOGNIZED,
                        peer.associate(TestPeer.rq("INTRUDER", "RAD", 0, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT))));
            }
            try (TestPeer peer = new TestPeer(archive.port)) {
                assertTrue(peer.associate(TestPeer.rq("MODALITY1", "RAD", 0, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT))) instanceof AAssociateAc);
                peer.release();
            }
            try (TestPeer peer = new TestPeer(archive.port)) {
                assertRejected(AAssociateRj.REJECTED_PERMANENT, AAssociateRj.SOURCE_SERVICE_USER, AAssociateRj.CALLED_AE_TITLE_NOT_RECOGNIZED,
                        peer.associate(TestPeer.rq("MODALITY1", "ELSEWHERE", 0, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT))));
            }
            try (TestPeer peer = new TestPeer(archive.port)) { // our own title: the default tenant, which allows everyone
                assertTrue(peer.associate(TestPeer.rq("INTRUDER", "STRATUS", 0, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT))) instanceof AAssociateAc);
                peer.release();
            }
            archive.awaitNoAssociations();
        }
    }

    @Test
    void userIdentityGoesToTheAuthenticator() throws Exception {
        AtomicReference<Authenticator.Request> seen = new AtomicReference<>();
        Authenticator auth = r -> {
            seen.set(r);
            return r.identity() != null && "secret".equals(r.identity().passcode())
                    ? new Authenticator.Result.Accepted("welcome".getBytes(StandardCharsets.UTF_8)) : Authenticator.Result.reject("bad password");
        };
        try (TestArchive archive = new TestArchive(dir, s -> s, auth, a -> a)) {
            UserIdentity good = new UserIdentity(UserIdentity.USERNAME_AND_PASSCODE, true, "alice".getBytes(StandardCharsets.UTF_8), "secret".getBytes(StandardCharsets.UTF_8));
            try (TestPeer peer = new TestPeer(archive.port)) {
                AAssociateAc ac = (AAssociateAc) peer.associate(TestPeer.rq("A", "STRATUS", 0, good, TestPeer.pc(1, CT, TestPeer.EXPLICIT)));
                assertArrayEquals("welcome".getBytes(StandardCharsets.UTF_8), ac.userInformation().identityResponse());
                assertEquals("alice", seen.get().identity().username());
                peer.release();
            }
            UserIdentity noResponse = new UserIdentity(UserIdentity.USERNAME_AND_PASSCODE, false, "alice".getBytes(StandardCharsets.UTF_8), "secret".getBytes(StandardCharsets.UTF_8));
            try (TestPeer peer = new TestPeer(archive.port)) {
                AAssociateAc ac = (AAssociateAc) peer.associate(TestPeer.rq("A", "STRATUS", 0, noResponse, TestPeer.pc(1, CT, TestPeer.EXPLICIT)));
                assertNull(ac.userInformation().identityResponse(), "no response sub-item unless asked for");
                peer.release();
            }
            UserIdentity bad = new UserIdentity(UserIdentity.USERNAME_AND_PASSCODE, true, "alice".getBytes(StandardCharsets.UTF_8), "guess".getBytes(StandardCharsets.UTF_8));
            try (TestPeer peer = new TestPeer(archive.port)) {
                assertRejected(AAssociateRj.REJECTED_PERMANENT, AAssociateRj.SOURCE_SERVICE_USER, AAssociateRj.NO_REASON_GIVEN,
                        peer.associate(TestPeer.rq("A", "STRATUS", 0, bad, TestPeer.pc(1, CT, TestPeer.EXPLICIT))));
            }
            try (TestPeer peer = new TestPeer(archive.port)) {
                assertRejected(AAssociateRj.REJECTED_PERMANENT, AAssociateRj.SOURCE_SERVICE_USER, AAssociateRj.NO_REASON_GIVEN,
                        peer.associate(TestPeer.rq("A", "STRATUS", 0, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT))));
            }
            archive.awaitNoAssociations();
        }
    }

    @Test
    void associationsBeyondTheLimitAreRejectedTransiently() throws Exception {
        try (TestArchive archive = new TestArchive(dir, s -> s.withLimits(DimseSettings.DEFAULT_MAX_PDU_LENGTH, 1));
             TestPeer first = new TestPeer(archive.port)) {
            first.associate(TestPeer.pc(1, CT, TestPeer.EXPLICIT));
            try (TestPeer second = new TestPeer(archive.port)) {
                assertRejected(AAssociateRj.REJECTED_TRANSIENT, AAssociateRj.SOURCE_SERVICE_PROVIDER_PRESENTATION, AAssociateRj.LOCAL_LIMIT_EXCEEDED,
                        second.associate(TestPeer.rq("B", "STRATUS", 0, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT))));
            }
            first.release();
        }
    }

    @Test
    void malformedAssociateRequestIsAborted() throws Exception {
        try (TestArchive archive = new TestArchive(dir); TestPeer peer = new TestPeer(archive.port)) {
            byte[] rq = dev.stratus.dimse.pdu.PduEncoder.encode(TestPeer.rq("A", "STRATUS", 0, null, TestPeer.pc(1, CT, TestPeer.EXPLICIT)));
            rq[6 + 68 + 2] = (byte) 0x7F; // the application context item's length now overruns the PDU
            peer.send(rq);
            AAbort a = peer.expectAbort();
            assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, a.reason());
        }
    }

    @Test
    void idleAssociationIsAbortedAndSilentConnectionClosedByArtim() throws Exception {
        try (TestArchive archive = new TestArchive(dir, s -> s.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)))) {
            try (TestPeer peer = new TestPeer(archive.port)) {
                peer.associate(TestPeer.pc(1, CT, TestPeer.EXPLICIT));
                AAbort a = peer.expectAbort(); // nothing sent: the idle timeout fires
                assertEquals(AAbort.SERVICE_PROVIDER, a.source());
            }
            try (TestPeer peer = new TestPeer(archive.port)) {
                peer.associate(TestPeer.pc(1, CT, TestPeer.EXPLICIT));
                peer.send(new byte[] {0x04, 0, 0, 0, 1, 0, 0, 0}); // a PDU that stalls half way
                assertEquals(AAbort.SERVICE_PROVIDER, peer.expectAbort().source());
            }
            try (TestPeer peer = new TestPeer(archive.port)) {
                assertTrue(peer.closedByServer(), "no A-ASSOCIATE-RQ: closed when the ARTIM timer expires");
            }
            archive.awaitNoAssociations();
        }
    }
}
