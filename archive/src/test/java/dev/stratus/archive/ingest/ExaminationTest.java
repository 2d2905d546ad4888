package dev.stratus.archive.ingest;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomFile;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.index.InstanceRecord;
import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examine step on its own: a parsed instance in, valid or refused with a Failure Reason and words out. */
class ExaminationTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private final String study = Uids.generate(), series = Uids.generate(), sop = Uids.generate();

    private DataSet dataSet() {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, CT);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, study);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, series);
        ds.put(new BulkDataElement(Tag.PixelData, VR.OB, 300, 1 << 20, false, null)); // left on disk by the reader
        return ds;
    }

    private static DataSet meta(String transferSyntax, String mediaStorageSop) {
        DataSet meta = new DataSet();
        meta.setString(Tag.TransferSyntaxUID, VR.UI, transferSyntax);
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, mediaStorageSop);
        return meta;
    }

    private DicomFile part10(DataSet ds) {
        return new DicomFile(meta(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), sop), ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, true, 200, true);
    }

    private static IngestOutcome.Failed refusal(Examination e) {
        return assertInstanceOf(Examination.Refused.class, e).failure();
    }

    @Test
    void aCompletePart10InstanceIsValidUnderItsOwnUids() {
        Examination.Valid v = assertInstanceOf(Examination.Valid.class, Examination.of(part10(dataSet()), study));
        assertEquals(study, v.studyUid());
        assertEquals(series, v.seriesUid());
        assertEquals(sop, v.sopInstanceUid());
        assertEquals(CT, v.sopClassUid());
        assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, v.transferSyntax());
        assertTrue(v.part10());
        assertNull(v.warning());
    }

    @Test
    void theIndexRecordOfAValidInstanceNamesItsBlobAndLeavesItsBulkDataOut() {
        Examination.Valid v = assertInstanceOf(Examination.Valid.class, Examination.of(part10(dataSet()), null));
        InstanceRecord r = v.record(TenantId.DEFAULT, "tenants/default/x.dcm", 1234, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        assertEquals("tenants/default/x.dcm", r.blobKey());
        assertEquals(1234, r.blobSize());
        assertEquals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid(), r.transferSyntaxUid(), "the syntax the stored file declares");
        assertEquals(sop, r.sopInstanceUid());
        assertFalse(r.attributes().contains(Tag.PixelData), "pixel data is not indexed");
        assertEquals(series, r.attributes().getString(Tag.SeriesInstanceUID));
    }

    @Test
    void aBareDataSetIsValidButNotYetAPart10File() {
        DicomFile bare = new DicomFile(new DataSet(), dataSet(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, false, 0, true);
        assertFalse(assertInstanceOf(Examination.Valid.class, Examination.of(bare, null)).part10());
        DicomFile noPreamble = new DicomFile(meta(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), sop), dataSet(),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, false, 60, true);
        assertFalse(assertInstanceOf(Examination.Valid.class, Examination.of(noPreamble, null)).part10());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SOPClassUID", "SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID"})
    void aMissingIdentifyingUidIsRefusedWithA900NamingIt(String name) throws Exception {
        DataSet ds = dataSet();
        ds.remove(Tag.class.getField(name).getInt(null));
        IngestOutcome.Failed f = refusal(Examination.of(part10(ds), null));
        assertEquals(FailureReason.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, f.reason());
        assertEquals(name + " is missing", f.message());
    }

    @Test
    void aMalformedUidIsRefusedWithA900SayingWhatIsWrong() {
        DataSet ds = dataSet();
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.03");
        IngestOutcome.Failed f = refusal(Examination.of(part10(ds), null));
        assertEquals(FailureReason.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, f.reason());
        assertTrue(f.message().startsWith("SeriesInstanceUID '1.2.03' is not digits separated by dots"), f.message());
        assertEquals(sop, f.sopInstanceUid(), "the refusal names the instance it can");
    }

    @Test
    void aMultiValuedUidIsRefusedWithA900RatherThanStoredUnderItsFirstValue() {
        DataSet ds = dataSet();
        String other = Uids.generate();
        ds.setString(Tag.StudyInstanceUID, VR.UI, study, other);
        IngestOutcome.Failed f = refusal(Examination.of(part10(ds), null));
        assertEquals(FailureReason.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, f.reason());
        assertEquals("StudyInstanceUID has 2 values ('" + study + "\\" + other + "') where one is required", f.message());
    }

    @Test
    void anInstanceOfAnotherStudyThanTheRequestUrlsIsRefusedWithA900() {
        String urlStudy = Uids.generate();
        IngestOutcome.Failed f = refusal(Examination.of(part10(dataSet()), urlStudy));
        assertEquals(FailureReason.DATA_SET_DOES_NOT_MATCH_SOP_CLASS, f.reason());
        assertEquals("StudyInstanceUID " + study + " does not match the study " + urlStudy + " of the request URL", f.message());
        assertEquals(CT, f.sopClassUid());
    }

    @Test
    void aTransferSyntaxTheArchiveCannotReadIsRefusedWithC122() {
        DicomFile unknown = new DicomFile(meta("1.2.3.4.5", sop), dataSet(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, true, 200, true);
        IngestOutcome.Failed f = refusal(Examination.of(unknown, null));
        assertEquals(FailureReason.TRANSFER_SYNTAX_NOT_SUPPORTED, f.reason());
        assertEquals("transfer syntax 1.2.3.4.5 is not one this archive can read", f.message());
    }

    @Test
    void aFileMetaSopInstanceUidThatDiffersIsStoredWithAWarning() {
        String metaSop = Uids.generate();
        DicomFile file = new DicomFile(meta(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), metaSop), dataSet(),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, true, 200, true);
        Examination.Valid v = assertInstanceOf(Examination.Valid.class, Examination.of(file, null));
        assertEquals("MediaStorageSOPInstanceUID " + metaSop + " in the file meta information differs from SOPInstanceUID", v.warning());
    }
}
