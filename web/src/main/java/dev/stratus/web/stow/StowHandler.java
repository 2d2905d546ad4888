package dev.stratus.web.stow;

import dev.stratus.archive.ingest.FailureReason;
import dev.stratus.archive.ingest.IngestBatch;
import dev.stratus.archive.ingest.IngestOutcome;
import dev.stratus.archive.ingest.IngestService;
import dev.stratus.web.DicomResponses;
import dev.stratus.web.DicomWebRequest;
import dev.stratus.web.HttpProblem;
import dev.stratus.web.WebSettings;
import dev.stratus.web.http.MediaType;
import dev.stratus.web.http.MultipartRelatedReader;
import io.javalin.http.Context;

import java.util.List;
import java.util.Optional;

/** STOW-RS (PS3.18 10.5): a multipart/related body of application/dicom parts, each spooled and
 * checked as it streams in, then stored and indexed together (see IngestBatch). */
public final class StowHandler {
    private final IngestService ingest;
    private final WebSettings settings;

    public StowHandler(IngestService ingest, WebSettings settings) {
        this.ingest = ingest;
        this.settings = settings;
    }

    public void handle(Context ctx) throws Exception {
        DicomWebRequest req = DicomWebRequest.of(ctx);
        DicomResponses.Format format = DicomResponses.negotiate(req.accept());
        String contentType = ctx.header("Content-Type");
        if (contentType == null) throw HttpProblem.unsupportedMediaType("missing Content-Type: send multipart/related; type=\"application/dicom\"");
        MediaType mt = MediaType.parse(contentType);
        if (!mt.essence().equals("multipart/related")) {
            throw HttpProblem.unsupportedMediaType("Content-Type " + mt.essence() + " is not supported: send multipart/related; type=\"application/dicom\"");
        }
        Optional<String> type = mt.parameter("type");
        if (type.isPresent() && !MediaType.parse(type.get()).essence().equals("application/dicom")) {
            throw HttpProblem.unsupportedMediaType("multipart/related of type " + type.get() + " is not supported: only application/dicom parts are");
        }
        List<IngestOutcome> outcomes;
        int parts = 0;
        try (MultipartRelatedReader reader = new MultipartRelatedReader(contentType, ctx.bodyInputStream());
             IngestBatch batch = ingest.batch(req.tenant(), req.study(), "STOW-RS")) {
            for (Optional<MultipartRelatedReader.Part> p = reader.next(); p.isPresent(); p = reader.next()) {
                parts++;
                MultipartRelatedReader.Part part = p.get();
                Optional<MediaType> partType = part.contentType();
                if (partType.isPresent() && !partType.get().essence().equals("application/dicom")) {
                    part.body().transferTo(java.io.OutputStream.nullOutputStream());
                    batch.addFailure(new IngestOutcome.Failed(null, null, FailureReason.CANNOT_UNDERSTAND,
                            "part " + part.number() + " has Content-Type " + partType.get().essence() + ", not application/dicom"));
                    continue;
                }
                batch.add(part.body());
            }
            outcomes = batch.commit();
        }
        StowResponse response = new StowResponse();
        for (IngestOutcome outcome : outcomes) response.add(outcome, req);
        if (parts == 0) throw HttpProblem.badRequest("the multipart body holds no parts");
        DicomResponses.writeOne(ctx, response.status(), response.toDataSet(req), format,
                settings.tenantOptions().apply(req.tenant()).numbersAsStrings());
    }
}
