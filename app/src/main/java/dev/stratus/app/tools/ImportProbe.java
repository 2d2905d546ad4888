package dev.stratus.app.tools;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomParseException;
import dev.stratus.codec.DicomReader;
import dev.stratus.codec.ReadOptions;
import dev.stratus.codec.Tag;

import java.io.IOException;
import java.io.InputStream;

/** What an item's first bytes say it is, read before it is sent so that a folder's other files never reach the archive. */
sealed interface ImportProbe {
    /** Media Storage Directory Storage (PS3.4 Annex B): a DICOMDIR, the index of a file set, not an instance. */
    String DICOMDIR_CLASS = "1.2.840.10008.1.3.10";
    /** The File Meta Information is a few hundred bytes; this much covers any real one. */
    int HEAD_BYTES = 64 * 1024;

    /** A Part 10 file; {@code sopInstanceUid} from its meta header, null when the header does not say. */
    record Instance(String sopInstanceUid) implements ImportProbe {}

    /** A DICOMDIR: skipped, the files it references are imported by the walk of their folder. */
    record Directory() implements ImportProbe {}

    /** No DICM marker after a 128-byte preamble (PS3.10 7.1). */
    record NotDicom() implements ImportProbe {}

    static ImportProbe of(ImportItem item) throws IOException {
        String name = item.name();
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('!')) + 1);
        if (last.equalsIgnoreCase("DICOMDIR")) return new Directory();
        byte[] head;
        try (InputStream in = item.open()) {
            head = in.readNBytes(HEAD_BYTES);
        }
        if (head.length < 132 || head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M') return new NotDicom();
        try {
            DataSet meta = new DicomReader(head).readFile(ReadOptions.ALL.stopBefore(0x00080001)).fileMeta();
            if (DICOMDIR_CLASS.equals(meta.getString(Tag.MediaStorageSOPClassUID))) return new Directory();
            String sop = meta.getString(Tag.MediaStorageSOPInstanceUID);
            return new Instance(sop == null || sop.isBlank() ? null : sop.strip());
        } catch (DicomParseException | RuntimeException e) {
            return new Instance(null); // the archive reads it whole and says what is wrong with it
        }
    }
}
