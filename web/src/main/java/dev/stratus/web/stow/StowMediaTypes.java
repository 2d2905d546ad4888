package dev.stratus.web.stow;

import java.util.List;
import java.util.Map;

/** The media types STOW-RS accepts (PS3.18 10.5.1.4, 8.7.3.3): the table docs/conformance.md is checked against. */
public final class StowMediaTypes {
    private StowMediaTypes() {}

    /** The {@code type} parameter of a multipart/related body: instances, or metadata with bulk data. */
    public static final List<String> BODY_TYPES = List.of("application/dicom", "application/dicom+json", "application/dicom+xml");

    /** Bulk data of any value, and native Pixel Data, in little endian (PS3.18 8.7.3.3.1). */
    public static final String UNCOMPRESSED_BULK_DATA = "application/octet-stream";

    /**
     * Compressed Pixel Data frames and the transfer syntax each media type means without a transfer-syntax parameter
     * (PS3.18 Table 8.7.3-5, its defaults); with the parameter, any syntax of that media type the codec knows.
     */
    public static final Map<String, String> COMPRESSED_PIXEL_DATA = Map.of(
            "image/jpeg", "1.2.840.10008.1.2.4.70", "image/jls", "1.2.840.10008.1.2.4.80",
            "image/jp2", "1.2.840.10008.1.2.4.90", "image/jpx", "1.2.840.10008.1.2.4.92",
            "image/jphc", "1.2.840.10008.1.2.4.201", "image/dicom-rle", "1.2.840.10008.1.2.5",
            "image/jxl", "1.2.840.10008.1.2.4.110", "video/mpeg", "1.2.840.10008.1.2.4.100",
            "video/mp4", "1.2.840.10008.1.2.4.102", "video/H265", "1.2.840.10008.1.2.4.107");
}
