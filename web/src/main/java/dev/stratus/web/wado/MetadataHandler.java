package dev.stratus.web.wado;

import dev.stratus.archive.metadata.MetadataDocuments;
import dev.stratus.archive.metadata.SeriesMetadataService;
import dev.stratus.archive.retrieve.InstanceHeader;
import dev.stratus.archive.retrieve.RetrieveService;
import dev.stratus.codec.Tag;
import dev.stratus.codec.xml.NativeXmlWriter;
import dev.stratus.index.SeriesState;
import dev.stratus.index.StoredInstance;
import dev.stratus.web.DicomResponses;
import dev.stratus.web.DicomWebRequest;
import dev.stratus.web.WebSettings;
import dev.stratus.web.http.MultipartRelatedWriter;
import dev.stratus.web.http.PartHeaders;
import io.javalin.http.Context;

import java.util.List;

/**
 * WADO-RS metadata of a study, series or instance, as DICOM JSON (or XML parts), with BulkDataURIs for
 * values left in the blobs. Series metadata comes from the precomputed document when it is current,
 * and carries an ETag so clients revalidate with 304.
 */
public final class MetadataHandler {
    private final RetrieveService retrieve;
    private final SeriesMetadataService series;
    private final WebSettings settings;

    public MetadataHandler(RetrieveService retrieve, SeriesMetadataService series, WebSettings settings) {
        this.retrieve = retrieve;
        this.series = series;
        this.settings = settings;
    }

    public void handle(Context ctx) throws Exception {
        DicomWebRequest req = DicomWebRequest.of(ctx);
        DicomResponses.Format format = DicomResponses.negotiate(req.accept());
        boolean numbersAsStrings = settings.tenantOptions().apply(req.tenant()).numbersAsStrings();
        String base = req.root() + "/";
        if (format == DicomResponses.Format.JSON && req.series() != null && req.instance() == null) {
            SeriesState state = series.state(req.tenant(), req.study(), req.series());
            String etag = "\"" + state.updatedTime() + (numbersAsStrings ? "s" : "n") + "\"";
            ctx.header("ETag", etag);
            if (etag.equals(ctx.header("If-None-Match"))) {
                ctx.status(304);
                return;
            }
            ctx.status(200).contentType("application/dicom+json");
            retrieve.prefetchSeries(req.tenant(), req.study(), req.series()); // a viewer's frames come next
            series.write(state, base, ctx.outputStream());
            return;
        }
        if (format == DicomResponses.Format.JSON && req.series() == null) {
            ctx.status(200).contentType("application/dicom+json");
            series.writeStudy(req.tenant(), req.study(), base, ctx.outputStream());
            return;
        }
        List<StoredInstance> instances = retrieve.find(req.tenant(), req.study(), req.series(), req.instance());
        if (format == DicomResponses.Format.JSON) {
            ctx.status(200).contentType("application/dicom+json");
            series.documents().write(instances, base, numbersAsStrings, ctx.outputStream());
            return;
        }
        MultipartRelatedWriter w = new MultipartRelatedWriter(ctx.outputStream(), "application/dicom+xml");
        ctx.status(200).contentType(w.contentType());
        for (StoredInstance i : instances) {
            InstanceHeader h;
            try {
                h = retrieve.header(i);
            } catch (RetrieveService.InstanceGone deletedMeanwhile) {
                continue;
            }
            String prefix = base + MetadataDocuments.instancePath(i);
            int frames = Math.max(1, h.dataSet().getInt(Tag.NumberOfFrames, 1));
            NativeXmlWriter.Options opts = new NativeXmlWriter.Options(Long.MAX_VALUE,
                    (path, e) -> MetadataDocuments.bulkDataUri(prefix, e, frames), retrieve.valuesOf(h.instance()));
            w.part(PartHeaders.of("Content-Type", "application/dicom+xml"), out -> NativeXmlWriter.write(out, h.dataSet(), opts));
        }
        w.finish();
    }
}
