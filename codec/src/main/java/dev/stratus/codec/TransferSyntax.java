package dev.stratus.codec;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transfer syntax (PS3.5 10, PS3.6 Annex A): how a data set is encoded. Encapsulated syntaxes keep
 * pixel data as fragments; the codec never decodes them, it only needs to know the media type.
 */
public record TransferSyntax(String uid, String name, boolean explicitVR, boolean bigEndian,
                             boolean deflated, boolean encapsulated, String mediaType, boolean retired) {

    private static final Map<String, TransferSyntax> BY_UID = new LinkedHashMap<>();

    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
            plain("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false);
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
            plain("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false);
    public static final TransferSyntax ENCAPSULATED_UNCOMPRESSED =
            add(new TransferSyntax("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian",
                    true, false, false, true, "application/octet-stream", false));
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
            plain("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true);
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
            add(new TransferSyntax("1.2.840.10008.1.2.2", "Explicit VR Big Endian (Retired)",
                    true, true, false, false, null, true));

    static {
        encapsulated("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", "image/jpeg");
        encapsulated("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", "image/jpeg");
        encapsulated("1.2.840.10008.1.2.4.52", "JPEG Extended (Process 3 & 5) (Retired)", "image/jpeg");
        encapsulated("1.2.840.10008.1.2.4.53", "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8) (Retired)", "image/jpeg");
        encapsulated("1.2.840.10008.1.2.4.54", "JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9) (Retired)", "image/jpeg");
        encapsulated("1.2.840.10008.1.2.4.55", "JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (Retired)", "image/jpeg");
        encapsulated("1.2.840.10008.1.2.4.56", "JPEG Full Progression, Non-Hierarchical (Process 11 & 13) (Retired)", "image/jpeg");
        encapsulated("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", "image/jpeg");
        encapsulated("1.2.840.10008.1.2.4.58", "JPEG Lossless, Non-Hierarchical (Process 15) (Retired)", "image/jpeg");
        for (int p = 59; p <= 69; p++) {
            encapsulated("1.2.840.10008.1.2.4." + p, "JPEG retired process (1.2.840.10008.1.2.4." + p + ")", "image/jpeg");
        }
        encapsulated("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", "image/jpeg");
        encapsulated("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", "image/jls");
        encapsulated("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", "image/jls");
        encapsulated("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", "image/jp2");
        encapsulated("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", "image/jp2");
        encapsulated("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)", "image/jpx");
        encapsulated("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression", "image/jpx");
        encapsulated("1.2.840.10008.1.2.4.94", "JPIP Referenced", null);
        encapsulated("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate", null);
        encapsulated("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", "video/mpeg");
        encapsulated("1.2.840.10008.1.2.4.100.1", "Fragmentable MPEG2 Main Profile / Main Level", "video/mpeg");
        encapsulated("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level", "video/mpeg");
        encapsulated("1.2.840.10008.1.2.4.101.1", "Fragmentable MPEG2 Main Profile / High Level", "video/mpeg");
        encapsulated("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", "video/mp4");
        encapsulated("1.2.840.10008.1.2.4.102.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1", "video/mp4");
        encapsulated("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", "video/mp4");
        encapsulated("1.2.840.10008.1.2.4.103.1", "Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", "video/mp4");
        encapsulated("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", "video/mp4");
        encapsulated("1.2.840.10008.1.2.4.104.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", "video/mp4");
        encapsulated("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", "video/mp4");
        encapsulated("1.2.840.10008.1.2.4.105.1", "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", "video/mp4");
        encapsulated("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", "video/mp4");
        encapsulated("1.2.840.10008.1.2.4.106.1", "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", "video/mp4");
        encapsulated("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1", "video/H265");
        encapsulated("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1", "video/H265");
        encapsulated("1.2.840.10008.1.2.4.110", "JPEG XL Lossless", "image/jxl");
        encapsulated("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression", "image/jxl");
        encapsulated("1.2.840.10008.1.2.4.112", "JPEG XL", "image/jxl");
        encapsulated("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", "image/jphc");
        encapsulated("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)", "image/jphc");
        encapsulated("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression", "image/jphc");
        encapsulated("1.2.840.10008.1.2.4.204", "JPIP HTJ2K Referenced", null);
        encapsulated("1.2.840.10008.1.2.4.205", "JPIP HTJ2K Referenced Deflate", null);
        encapsulated("1.2.840.10008.1.2.5", "RLE Lossless", "image/dicom-rle");
        encapsulated("1.2.840.10008.1.2.6.1", "RFC 2557 MIME encapsulation (Retired)", null);
        encapsulated("1.2.840.10008.1.2.6.2", "XML Encoding (Retired)", null);
        encapsulated("1.2.840.10008.1.2.7.1", "SMPTE ST 2110-20 Uncompressed Progressive Active Video", null);
        encapsulated("1.2.840.10008.1.2.7.2", "SMPTE ST 2110-20 Uncompressed Interlaced Active Video", null);
        encapsulated("1.2.840.10008.1.2.7.3", "SMPTE ST 2110-30 PCM Digital Audio", null);
    }

    private static TransferSyntax plain(String uid, String name, boolean explicit, boolean big, boolean deflated) {
        return add(new TransferSyntax(uid, name, explicit, big, deflated, false, null, false));
    }

    private static void encapsulated(String uid, String name, String mediaType) {
        add(new TransferSyntax(uid, name, true, false, false, true, mediaType, name.contains("Retired")));
    }

    private static TransferSyntax add(TransferSyntax ts) {
        BY_UID.put(ts.uid, ts);
        return ts;
    }

    /** The transfer syntax with this UID (trailing NUL/space padding ignored), or null if unknown. */
    public static TransferSyntax of(String uid) {
        if (uid == null) return null;
        return BY_UID.get(trimUid(uid));
    }

    public static Collection<TransferSyntax> all() {
        return Collections.unmodifiableCollection(BY_UID.values());
    }

    /** Native (uncompressed) encodings: the codec can convert among these. */
    public boolean isUncompressed() {
        return !encapsulated;
    }

    static String trimUid(String uid) {
        int end = uid.length();
        while (end > 0 && (uid.charAt(end - 1) == 0 || uid.charAt(end - 1) == ' ')) end--;
        int start = 0;
        while (start < end && uid.charAt(start) == ' ') start++;
        return uid.substring(start, end);
    }
}
