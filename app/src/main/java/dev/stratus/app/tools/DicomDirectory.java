package dev.stratus.app.tools;

import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Element;
import dev.stratus.codec.SequenceElement;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.Uids;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The DICOMDIR of an exported study (PS3.10 8, PS3.3 Annex F): one PATIENT, one STUDY, a SERIES per series and a record
 * per instance of the type its SOP class calls for (IMAGE, SR DOCUMENT, RT DOSE ...: RecordType), linked by byte
 * offsets from the start of the file. Each record's keys are copied from the
 * instance's header as stored (with its Specific Character Set, so that their bytes stay valid). A type 1 key the
 * instance lacks is invented as DCMTK's {@code dcmmkdir +I} does (an ID, a number by position, an unknown date); a type 2
 * key is written empty.
 */
final class DicomDirectory {
    /** Media Storage Directory Storage (PS3.4 Annex B). */
    static final String SOP_CLASS = "1.2.840.10008.1.3.10";
    private static final int OffsetOfTheNextDirectoryRecord = 0x00041400;
    private static final int RecordInUseFlag = 0x00041410;
    private static final int OffsetOfReferencedLowerLevelDirectoryEntity = 0x00041420;
    private static final int DirectoryRecordType = 0x00041430;
    private static final int ReferencedSOPClassUIDInFile = 0x00041510;
    private static final int ReferencedTransferSyntaxUIDInFile = 0x00041512;
    private static final int FileSetID = 0x00041130;
    private static final int OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity = 0x00041200;
    private static final int OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity = 0x00041202;
    private static final int FileSetConsistencyFlag = 0x00041212;
    private static final int DirectoryRecordSequence = 0x00041220;

    // PS3.3 F.5: the keys of each record type, type 1 and 2 alike
    private static final int[] PATIENT_KEYS = {0x00100010, 0x00100020};
    private static final int[] STUDY_KEYS = {0x00080020, 0x00080030, 0x00080050, 0x00081030, Tag.StudyInstanceUID, 0x00200010};
    private static final int[] SERIES_KEYS = {0x00080060, Tag.SeriesInstanceUID, 0x00200011};

    private DataSet patient, study;
    private final Map<String, DataSet> series = new LinkedHashMap<>();
    private final Map<String, List<DataSet>> images = new LinkedHashMap<>();

    /** Adds an instance whose header is {@code header}, stored in the file set under {@code fileId} (its path components). */
    void add(DataSet header, String transferSyntaxUid, String... fileId) {
        if (patient == null) {
            patient = record("PATIENT", header, PATIENT_KEYS);
            invent(patient, 0x00100020, VR.LO, "UNKNOWN");
        }
        if (study == null) {
            study = record("STUDY", header, STUDY_KEYS);
            invent(study, 0x00080020, VR.DA, "19000101");
            invent(study, 0x00080030, VR.TM, "000000");
            invent(study, 0x00200010, VR.SH, "1");
        }
        String seriesUid = header.getString(Tag.SeriesInstanceUID);
        series.computeIfAbsent(seriesUid, s -> invent(record("SERIES", header, SERIES_KEYS), 0x00200011, VR.IS, String.valueOf(series.size() + 1)));
        List<DataSet> ofSeries = images.computeIfAbsent(seriesUid, s -> new ArrayList<>());
        RecordType type = RecordType.of(header.getString(Tag.SOPClassUID));
        DataSet image = record(type.name(), header, Stream.concat(type.required().stream(), type.present().stream()).mapToInt(Integer::intValue).toArray());
        for (int key : type.conditional()) copy(image, header, key);
        if (type == RecordType.SR_DOCUMENT) verified(image, header);
        invent(image, Tag.InstanceNumber, VR.IS, String.valueOf(ofSeries.size() + 1));
        image.setString(Tag.ReferencedFileID, VR.CS, fileId);
        image.setString(ReferencedSOPClassUIDInFile, VR.UI, header.getString(Tag.SOPClassUID));
        image.setString(Tag.ReferencedSOPInstanceUIDInFile, VR.UI, header.getString(Tag.SOPInstanceUID));
        image.setString(ReferencedTransferSyntaxUIDInFile, VR.UI, transferSyntaxUid);
        ofSeries.add(image);
    }

    /**
     * PS3.3 F.5 SR Document keys: Verification DateTime, required when the document is VERIFIED, is that of its latest
     * verification, which the document holds in the items of its Verifying Observer Sequence.
     */
    private static void verified(DataSet record, DataSet header) {
        if (!"VERIFIED".equals(header.getString(Tag.VerificationFlag))) return;
        String latest = null;
        for (DataSet observer : header.getItems(Tag.VerifyingObserverSequence)) {
            String at = observer.getString(Tag.VerificationDateTime);
            if (at != null && (latest == null || at.compareTo(latest) > 0)) latest = at;
        }
        if (latest != null) record.setString(Tag.VerificationDateTime, VR.DT, latest);
    }

    /** A type 1 key the instance left empty gets {@code value}. */
    private static DataSet invent(DataSet record, int key, VR vr, String value) {
        String given = record.getString(key);
        if (given == null || given.isBlank()) record.setString(key, vr, value);
        return record;
    }

    private static DataSet record(String type, DataSet header, int[] keys) {
        DataSet r = new DataSet();
        r.setInt(OffsetOfTheNextDirectoryRecord, VR.UL, 0);
        r.setInt(RecordInUseFlag, VR.US, 0xFFFF);
        r.setInt(OffsetOfReferencedLowerLevelDirectoryEntity, VR.UL, 0);
        r.setString(DirectoryRecordType, VR.CS, type);
        Element charset = header.get(Tag.SpecificCharacterSet);
        if (charset != null) r.put(charset);
        for (int key : keys) {
            if (!copy(r, header, key)) {
                VR vr = DataDictionary.vrOf(key);
                r.put(vr == VR.SQ ? new SequenceElement(key, VR.SQ, List.of()) : new ValueElement(key, vr, new byte[0]));
            }
        }
        return r;
    }

    /** Copies the instance's value of {@code key} (a value or a sequence) into the record; false when it has none. */
    private static boolean copy(DataSet record, DataSet header, int key) {
        Element e = header.get(key);
        if (!(e instanceof ValueElement || e instanceof SequenceElement)) return false;
        record.put(e);
        return true;
    }

    /** The DICOMDIR file: records in depth-first order, each linked to its next sibling and its first child. */
    byte[] encode() throws IOException {
        if (patient == null) throw new IllegalStateException("a DICOMDIR of no instance");
        List<DataSet> order = new ArrayList<>(List.of(patient, study));
        for (var s : series.entrySet()) {
            order.add(s.getValue());
            order.addAll(images.get(s.getKey()));
        }
        DataSet meta = new DataSet();
        meta.setString(Tag.SOPClassUID, VR.UI, SOP_CLASS);
        meta.setString(Tag.SOPInstanceUID, VR.UI, Uids.generate());
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        DicomWriter w = new DicomWriter(head, null);
        w.writePreambleAndMeta(DicomWriter.fileMetaFor(meta, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null));
        w.flush();
        DataSet top = new DataSet();
        top.setString(FileSetID, VR.CS, "STRATUS");
        top.setInt(OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, VR.UL, 0);
        top.setInt(OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity, VR.UL, 0);
        top.setInt(FileSetConsistencyFlag, VR.US, 0);

        // Offsets are UL values of fixed size: the records' lengths are known before the offsets are filled in.
        Map<DataSet, Integer> at = new java.util.IdentityHashMap<>();
        long offset = head.size() + encode(top).length + 12; // the sequence's header: tag, VR, reserved, undefined length
        for (DataSet r : order) {
            at.put(r, Math.toIntExact(offset));
            offset += 8 + encode(r).length;
        }
        top.setInt(OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, VR.UL, at.get(patient));
        top.setInt(OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity, VR.UL, at.get(patient));
        lower(patient, at.get(study));
        List<DataSet> seriesRecords = List.copyOf(series.values());
        lower(study, at.get(seriesRecords.getFirst()));
        for (int i = 0; i < seriesRecords.size(); i++) {
            if (i + 1 < seriesRecords.size()) next(seriesRecords.get(i), at.get(seriesRecords.get(i + 1)));
            List<DataSet> ofSeries = images.get(seriesRecords.get(i).getString(Tag.SeriesInstanceUID));
            lower(seriesRecords.get(i), at.get(ofSeries.getFirst()));
            for (int k = 0; k + 1 < ofSeries.size(); k++) next(ofSeries.get(k), at.get(ofSeries.get(k + 1)));
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toByteArray());
        out.writeBytes(encode(top));
        out.writeBytes(new byte[] {0x04, 0x00, 0x20, 0x12, 'S', 'Q', 0, 0, -1, -1, -1, -1});
        for (DataSet r : order) {
            byte[] item = encode(r);
            out.writeBytes(new byte[] {-2, -1, 0x00, -32});
            out.writeBytes(littleEndian(item.length));
            out.writeBytes(item);
        }
        out.writeBytes(new byte[] {-2, -1, -35, -32, 0, 0, 0, 0});
        if (out.size() != offset + 8) throw new IllegalStateException("DICOMDIR records moved while encoding");
        return out.toByteArray();
    }

    private static void next(DataSet record, int offset) {
        record.setInt(OffsetOfTheNextDirectoryRecord, VR.UL, offset);
    }

    private static void lower(DataSet record, int offset) {
        record.setInt(OffsetOfReferencedLowerLevelDirectoryEntity, VR.UL, offset);
    }

    private static byte[] encode(DataSet ds) throws IOException {
        return DicomWriter.encode(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static byte[] littleEndian(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }
}
