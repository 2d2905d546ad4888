package dev.stratus.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class DicomReaderTest {
    /**
     * Found by the STOW fuzzer (app StowFuzzTest): an object whose element at Pixel Data has a VR of a later
     * edition was stored, but reading its header stopped there with a null VR, and its metadata answered 500.
     */
    @Test
    void aVrOfALaterEditionWhereReadingStopsIsUnLikeAnywhereElse() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(DicomWriter.encode(sop(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        // (7FE0,0010) with VR "ZZ": a 32-bit length after two reserved bytes (PS3.5 6.2), then 4 bytes
        out.writeBytes(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'Z', 'Z', 0, 0, 4, 0, 0, 0, 1, 2, 3, 4});
        byte[] data = out.toByteArray();
        BulkDataElement stopped = assertInstanceOf(BulkDataElement.class,
                new DicomReader(data).readFile(ReadOptions.HEADER).dataSet().get(Tag.PixelData));
        assertEquals(VR.UN, stopped.vr());
        assertEquals(4, stopped.length());
        Element read = new DicomReader(data).readFile(ReadOptions.ALL).dataSet().get(Tag.PixelData);
        assertEquals(VR.UN, read.vr());
    }

    private static DataSet sop() {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
        return ds;
    }
}
