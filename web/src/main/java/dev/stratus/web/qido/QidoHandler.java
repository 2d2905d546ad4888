package dev.stratus.web.qido;

import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;
import dev.stratus.index.Index;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.QidoQuery;
import dev.stratus.index.query.QidoQueryParser;
import dev.stratus.index.query.QueryResult;
import dev.stratus.web.DicomResponses;
import dev.stratus.web.DicomWebRequest;
import dev.stratus.web.WebSettings;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;

/** QIDO-RS (PS3.18 10.6): searches at study, series and instance level, answered by the index. */
public final class QidoHandler {
    private final Index index;
    private final WebSettings settings;

    public QidoHandler(Index index, WebSettings settings) {
        this.index = index;
        this.settings = settings;
    }

    public void studies(Context ctx) throws Exception { search(ctx, Level.STUDY); }

    public void series(Context ctx) throws Exception { search(ctx, Level.SERIES); }

    public void instances(Context ctx) throws Exception { search(ctx, Level.INSTANCE); }

    private void search(Context ctx, Level level) throws Exception {
        DicomWebRequest req = DicomWebRequest.of(ctx);
        DicomResponses.Format format = DicomResponses.negotiate(req.accept());
        QidoQuery query = QidoQueryParser.parse(level, req.study(), req.series(), ctx.queryParamMap());
        QueryResult result = index.search(req.tenant(), query);
        List<String> warnings = new ArrayList<>();
        if (result.moreAvailable()) warnings.add("There are additional results that can be requested");
        if (!result.ignoredAttributes().isEmpty()) {
            List<String> names = result.ignoredAttributes().stream().map(QidoHandler::name).toList();
            warnings.add("These attributes are not supported for matching and were ignored: " + String.join(", ", names));
        }
        for (String w : warnings) ctx.res().addHeader("Warning", "299 stratus: \"" + w + "\"");
        for (DataSet ds : result.matches()) addRetrieveUrl(ds, level, req);
        WebSettings.TenantOptions opts = settings.tenantOptions().apply(req.tenant());
        if (result.matches().isEmpty() && opts.emptyQidoAs204()) {
            ctx.status(204);
            return;
        }
        ctx.status(200);
        DicomResponses.writeMany(ctx, result.matches(), format, opts.numbersAsStrings());
    }

    private static void addRetrieveUrl(DataSet ds, Level level, DicomWebRequest req) {
        String study = ds.getString(Tag.StudyInstanceUID), series = ds.getString(Tag.SeriesInstanceUID);
        String sop = ds.getString(Tag.SOPInstanceUID);
        String url = switch (level) {
            case STUDY -> study == null ? null : req.studyUrl(study);
            case SERIES -> study == null || series == null ? null : req.seriesUrl(study, series);
            case INSTANCE -> study == null || series == null || sop == null ? null : req.instanceUrl(study, series, sop);
        };
        if (url != null) ds.setString(Tag.RetrieveURL, VR.UR, url);
    }

    private static String name(int tag) {
        String kw = DataDictionary.keywordOf(tag);
        return kw.isEmpty() ? Tag.toHex(tag) : kw;
    }
}
