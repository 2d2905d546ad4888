package dev.stratus.dimse.pdu;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PDU encoding and decoding (PS3.8 9.3), and the checks on every length that comes from the wire. */
class PduCodecTest {
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    private static Pdu roundTrip(Pdu pdu) throws Exception {
        PduInput in = new PduInput(new ByteArrayInputStream(PduEncoder.encode(pdu)));
        assertTrue(in.next(1 << 20));
        return in.decode();
    }

    private static AAssociateRq rq(UserIdentity id) {
        return new AAssociateRq(1, "CALLED", "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextRq(1, CT, List.of("1.2.840.10008.1.2.1", "1.2.840.10008.1.2")),
                        new PresentationContextRq(3, "1.2.840.10008.1.1", List.of("1.2.840.10008.1.2"))),
                new UserInformation(16384, "1.2.3", "V1", id, null));
    }

    @Test
    void associateRequestRoundTrips() throws Exception {
        UserIdentity id = new UserIdentity(UserIdentity.USERNAME_AND_PASSCODE, true, "bob".getBytes(StandardCharsets.UTF_8), "pw".getBytes(StandardCharsets.UTF_8));
        AAssociateRq back = (AAssociateRq) roundTrip(rq(id));
        assertEquals("CALLED", back.calledAeTitle());
        assertEquals("CALLING", back.callingAeTitle());
        assertEquals(rq(id).presentationContexts(), back.presentationContexts());
        assertEquals(16384, back.userInformation().maxPduLength());
        assertEquals("1.2.3", back.userInformation().implementationClassUid());
        assertEquals("V1", back.userInformation().implementationVersionName());
        assertEquals("bob", back.userInformation().userIdentity().username());
        assertEquals("pw", back.userInformation().userIdentity().passcode());
        assertTrue(back.userInformation().userIdentity().positiveResponseRequested());
    }

    @Test
    void associateAcceptRoundTrips() throws Exception {
        AAssociateAc ac = new AAssociateAc(1, "CALLED", "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextAc(1, 0, "1.2.840.10008.1.2.1"), new PresentationContextAc(3, 3, null)),
                new UserInformation(65536, "1.2.3", "V1", null, new byte[] {1, 2}));
        AAssociateAc back = (AAssociateAc) roundTrip(ac);
        assertEquals(new PresentationContextAc(1, 0, "1.2.840.10008.1.2.1"), back.presentationContexts().get(0));
        assertEquals(3, back.presentationContexts().get(1).result());
        assertArrayEquals(new byte[] {1, 2}, back.userInformation().identityResponse());
    }

    @Test
    void roleSelectionsRoundTripInBothDirections() throws Exception {
        List<RoleSelection> roles = List.of(new RoleSelection(CT, false, true), new RoleSelection("1.2.840.10008.5.1.4.1.1.4", true, true));
        AAssociateRq rq = rq(null);
        rq = new AAssociateRq(1, "CALLED", "CALLING", rq.applicationContextName(), rq.presentationContexts(),
                new UserInformation(16384, "1.2.3", "V1", null, null, roles));
        AAssociateRq back = (AAssociateRq) roundTrip(rq);
        assertEquals(roles, back.userInformation().roleSelections());
        assertEquals(new RoleSelection(CT, false, true), back.userInformation().roleSelection(CT));
        assertEquals("V1", back.userInformation().implementationVersionName());
        AAssociateAc ac = new AAssociateAc(1, "CALLED", "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextAc(1, 0, "1.2.840.10008.1.2.1")), new UserInformation(65536, "1.2.3", "V1", null, null, roles.subList(0, 1)));
        assertEquals(roles.subList(0, 1), ((AAssociateAc) roundTrip(ac)).userInformation().roleSelections());
    }

    @Test
    void twoRoleSelectionsForOneSopClassAreRefused() {
        AAssociateRq rq = rq(null);
        AAssociateRq twice = new AAssociateRq(1, "CALLED", "CALLING", rq.applicationContextName(), rq.presentationContexts(),
                new UserInformation(16384, "1.2.3", "V1", null, null, List.of(new RoleSelection(CT, false, true), new RoleSelection(CT, true, false))));
        PduException e = assertThrows(PduException.class, () -> roundTrip(twice));
        assertTrue(e.getMessage().contains("second role selection"), e.getMessage());
    }

    @Test
    void aStreamedDataSetIsCutIntoFragmentsOfThePeersMaximumWithOnlyTheLastFlaggedLast() throws Exception {
        java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
        PduOutput out = new PduOutput(wire, 1024);
        byte[] data = new byte[3000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        out.writeMessage(5, new byte[] {1, 2}, o -> {
            o.write(data, 0, 1000); // in pieces that do not line up with the fragments
            o.write(data, 1000, 2000);
        });
        PduInput in = new PduInput(new ByteArrayInputStream(wire.toByteArray()));
        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        List<Boolean> lastFlags = new java.util.ArrayList<>();
        while (in.next(1024)) {
            for (Pdv pdv : PduDecoder.pdvs(in.body(), in.length())) {
                assertEquals(5, pdv.presentationContextId());
                if (pdv.command()) continue;
                assertTrue(pdv.length() <= 1024 - 6, "fragment of " + pdv.length() + " bytes");
                received.writeBytes(pdv.copy());
                lastFlags.add(pdv.last());
            }
        }
        assertArrayEquals(data, received.toByteArray());
        assertEquals(List.of(false, false, true), lastFlags);
    }

    @Test
    void fixedLengthPdusRoundTrip() throws Exception {
        assertEquals(new AAbort(2, 6), roundTrip(new AAbort(2, 6)));
        assertEquals(new AAssociateRj(1, 1, 7), roundTrip(new AAssociateRj(1, 1, 7)));
        assertEquals(new AReleaseRq(), roundTrip(new AReleaseRq()));
        assertEquals(new AReleaseRp(), roundTrip(new AReleaseRp()));
    }

    @Test
    void pDataCarriesSeveralPdvs() throws Exception {
        byte[] a = {1, 2, 3}, b = {4, 5};
        PDataTf back = (PDataTf) roundTrip(new PDataTf(List.of(new Pdv(1, true, true, a, 0, 3), new Pdv(1, false, false, b, 0, 2))));
        assertEquals(2, back.pdvs().size());
        assertTrue(back.pdvs().get(0).command() && back.pdvs().get(0).last());
        assertFalse(back.pdvs().get(1).command() || back.pdvs().get(1).last());
        assertArrayEquals(b, back.pdvs().get(1).copy());
    }

    private static int reasonOf(byte[] pdu, long maxPData) {
        PduException e = assertThrows(PduException.class, () -> {
            PduInput in = new PduInput(new ByteArrayInputStream(pdu));
            in.next(maxPData);
            in.decode();
        });
        return e.abortReason();
    }

    @Test
    void everyLengthIsChecked() {
        assertEquals(AAbort.UNRECOGNIZED_PDU, reasonOf(new byte[] {8, 0, 0, 0, 0, 0}, 100));
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, reasonOf(new byte[] {4, 0, 0, 0, 0, 101}, 100), "oversized");
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, reasonOf(new byte[] {7, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0}, 100), "A-ABORT is 4 bytes");
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, reasonOf(new byte[] {4, 0, 0, 0, 0, 0}, 100), "P-DATA-TF without PDV");
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, reasonOf(new byte[] {4, 0, 0, 0, 0, 6, 0, 0, 0, 1, 1, 3}, 100), "PDV item shorter than 2");
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, reasonOf(new byte[] {4, 0, 0, 0, 0, 6, 0, 0, 0, 2, 1, 4}, 100), "reserved control bits");
        byte[] rq = PduEncoder.encode(rq(null));
        byte[] evenId = rq.clone();
        evenId[6 + 68 + 4 + AAssociateRq.DICOM_APPLICATION_CONTEXT.length() + 4] = 2; // first presentation context ID
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, reasonOf(evenId, 100), "presentation context IDs are odd");
        byte[] unknownItem = rq.clone();
        unknownItem[6 + 68 + 4 + AAssociateRq.DICOM_APPLICATION_CONTEXT.length()] = 0x33;
        assertEquals(AAbort.UNRECOGNIZED_PDU_PARAMETER, reasonOf(unknownItem, 100));
    }

    @Test
    void truncatedPduIsEndOfStream() {
        byte[] rq = PduEncoder.encode(rq(null));
        assertThrows(EOFException.class, () -> new PduInput(new ByteArrayInputStream(Arrays.copyOf(rq, rq.length - 1))).next(100));
    }

    @Test
    void associateRequestFieldsThatDoNotAddUpAreRefused() {
        byte[] rq = PduEncoder.encode(rq(null));
        byte[] shorter = Arrays.copyOf(rq, rq.length - 3); // PDU length says more than the items that fit
        shorter[5] = (byte) (shorter.length - 6);
        shorter[4] = (byte) ((shorter.length - 6) >>> 8);
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, reasonOf(shorter, 100));
    }

    private static long allocatedBytesOfThisThread() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void aFourGigabytePDataIsRefusedFromItsHeaderAlone() throws Exception {
        byte[] header = {4, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        ByteArrayInputStream wire = new ByteArrayInputStream(Arrays.copyOf(header, header.length + 100));
        PduException e = assertThrows(PduException.class, () -> new PduInput(wire).next(64 * 1024));
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, e.abortReason());
        assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
        assertEquals(100, wire.available(), "nothing of the body was read");
    }

    @Test
    void anAnnouncedLengthIsNotAllocatedBeforeItsBytesArrive() throws Exception {
        int announced = PduInput.MAX_ASSOCIATE_LENGTH; // allowed for an A-ASSOCIATE-RQ, but only 100 bytes follow
        byte[] wire = Arrays.copyOf(new byte[] {1, 0, (byte) (announced >>> 24), (byte) (announced >>> 16), (byte) (announced >>> 8), (byte) announced}, 106);
        long allocated = 0;
        for (int round = 0; round < 3; round++) { // the first rounds also load classes and fill stack traces
            PduInput in = new PduInput(new ByteArrayInputStream(wire));
            long before = allocatedBytesOfThisThread();
            try {
                in.next(64 * 1024);
            } catch (EOFException expected) {
                allocated = allocatedBytesOfThisThread() - before;
            }
        }
        assertTrue(allocated > 0 && allocated < announced / 16, allocated + " bytes allocated for a PDU announcing " + announced + " of which 100 arrived");
    }

    @Test
    void aPresentationContextProposingTooManyTransferSyntaxesIsRefused() throws Exception {
        List<String> many = java.util.Collections.nCopies(PduDecoder.MAX_TRANSFER_SYNTAXES_PER_CONTEXT, "1.2.840.10008.1.2");
        AAssociateRq atLimit = new AAssociateRq(1, "CALLED", "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextRq(1, CT, many)), new UserInformation(16384, "1.2.3", "V1", null, null));
        assertEquals(many.size(), ((AAssociateRq) roundTrip(atLimit)).presentationContexts().getFirst().transferSyntaxes().size());
        List<String> tooMany = new java.util.ArrayList<>(many);
        tooMany.add("1.2.840.10008.1.2.1");
        AAssociateRq over = new AAssociateRq(1, "CALLED", "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextRq(1, CT, tooMany)), new UserInformation(16384, "1.2.3", "V1", null, null));
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, reasonOf(PduEncoder.encode(over), 100));
    }

    @Test
    void atMostOneHundredTwentyEightPresentationContextsFitTheirIdRules() throws Exception {
        List<PresentationContextRq> all = new java.util.ArrayList<>();
        for (int id = 1; id <= 255; id += 2) all.add(new PresentationContextRq(id, CT, List.of("1.2.840.10008.1.2")));
        AAssociateRq full = new AAssociateRq(1, "CALLED", "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT, all,
                new UserInformation(16384, "1.2.3", "V1", null, null));
        assertEquals(128, ((AAssociateRq) roundTrip(full)).presentationContexts().size());
        List<PresentationContextRq> oneMore = new java.util.ArrayList<>(all);
        oneMore.add(new PresentationContextRq(1, CT, List.of("1.2.840.10008.1.2"))); // no 129th odd byte: an ID repeats
        AAssociateRq over = new AAssociateRq(1, "CALLED", "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT, oneMore,
                new UserInformation(16384, "1.2.3", "V1", null, null));
        assertEquals(AAbort.INVALID_PDU_PARAMETER_VALUE, reasonOf(PduEncoder.encode(over), 100));
    }
}
