package dev.stratus.web;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.json.DicomJsonWriter;
import dev.stratus.codec.json.JsonWriteOptions;
import dev.stratus.codec.xml.NativeXmlWriter;
import dev.stratus.web.http.AcceptHeader;
import dev.stratus.web.http.MediaType;
import dev.stratus.web.http.MultipartRelatedWriter;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/** Writes data sets as DICOM JSON or as the Native DICOM Model (XML), as the client accepts. */
public final class DicomResponses {
    private DicomResponses() {}

    public enum Format { JSON, XML }

    private static final MediaType XML_MULTIPART = MediaType.MULTIPART_RELATED.withParameter("type", "application/dicom+xml");

    /** JSON unless the client prefers XML; 406 when it accepts neither. */
    public static Format negotiate(AcceptHeader accept) {
        // Offers with charset=utf-8 too, so that clients naming the charset (always UTF-8 here) are served.
        Optional<MediaType> m = accept.negotiate(List.of(MediaType.APPLICATION_DICOM_JSON, MediaType.APPLICATION_JSON,
                MediaType.APPLICATION_DICOM_JSON.withParameter("charset", "utf-8"), MediaType.APPLICATION_JSON.withParameter("charset", "utf-8"),
                MediaType.APPLICATION_DICOM_XML, XML_MULTIPART, MediaType.APPLICATION_DICOM_XML.withParameter("charset", "utf-8")));
        if (m.isEmpty()) {
            throw HttpProblem.notAcceptable("this resource is available as application/dicom+json or application/dicom+xml; the Accept header allows neither");
        }
        return m.get().subtype().equals("dicom+xml") || m.get().essence().equals("multipart/related") ? Format.XML : Format.JSON;
    }

    /** A single data set (e.g. the STOW-RS response). */
    public static void writeOne(Context ctx, int status, DataSet ds, Format format, boolean numbersAsStrings) throws IOException {
        ctx.status(status);
        if (format == Format.XML) {
            ctx.contentType("application/dicom+xml");
            OutputStream out = ctx.outputStream();
            NativeXmlWriter.write(out, ds, NativeXmlWriter.Options.DEFAULT);
            out.flush();
        } else {
            ctx.contentType("application/dicom+json");
            try (DicomJsonWriter w = DicomJsonWriter.of(ctx.outputStream(), JsonWriteOptions.DEFAULT.withNumbersAsStrings(numbersAsStrings))) {
                w.write(ds);
            }
        }
    }

    /** Several data sets (QIDO-RS results): a JSON array, or XML as multipart/related, one part each. */
    public static void writeMany(Context ctx, List<DataSet> list, Format format, boolean numbersAsStrings) throws IOException {
        if (format == Format.XML) {
            MultipartRelatedWriter w = new MultipartRelatedWriter(ctx.outputStream(), "application/dicom+xml");
            ctx.contentType(w.contentType());
            for (DataSet ds : list) {
                w.part(dev.stratus.web.http.PartHeaders.of("Content-Type", "application/dicom+xml"),
                        out -> NativeXmlWriter.write(out, ds, NativeXmlWriter.Options.DEFAULT));
            }
            w.finish();
            return;
        }
        ctx.contentType("application/dicom+json");
        try (DicomJsonWriter w = DicomJsonWriter.of(ctx.outputStream(), JsonWriteOptions.DEFAULT.withNumbersAsStrings(numbersAsStrings))) {
            w.writeArray(list);
        }
    }
}
