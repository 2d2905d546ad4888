package dev.stratus.web;

import dev.stratus.codec.Uids;
import dev.stratus.index.TenantId;
import dev.stratus.web.http.AcceptHeader;
import dev.stratus.web.http.ExternalBase;
import dev.stratus.web.http.ForwardedHeaders;
import io.javalin.http.Context;

import java.util.Collections;
import java.util.List;

/** What every DICOMweb handler needs from a request: the tenant, validated UIDs, the external root URL, Accept. */
public record DicomWebRequest(Context ctx, TenantId tenant, String study, String series, String instance, String root) {

    public static DicomWebRequest of(Context ctx) {
        String tenantName = ctx.pathParamMap().get("tenant");
        TenantId tenant;
        if (tenantName == null) {
            tenant = TenantId.DEFAULT;
        } else if (TenantId.isValid(tenantName)) {
            tenant = new TenantId(tenantName);
        } else {
            throw HttpProblem.badRequest("invalid tenant name '" + tenantName + "': 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        String study = uid(ctx, "study", "StudyInstanceUID");
        String series = uid(ctx, "series", "SeriesInstanceUID");
        String instance = uid(ctx, "instance", "SOPInstanceUID");
        ExternalBase base = ForwardedHeaders.resolve(ctx.scheme(), ctx.header("Host"), ctx.port(),
                name -> {
                    var values = ctx.req().getHeaders(name);
                    return values == null ? List.of() : Collections.list(values);
                });
        String root = base.url() + (tenantName == null ? "/dicomweb" : "/tenants/" + tenant.name() + "/dicomweb");
        return new DicomWebRequest(ctx, tenant, study, series, instance, root);
    }

    private static String uid(Context ctx, String param, String name) {
        String value = ctx.pathParamMap().get(param);
        if (value == null) return null;
        String problem = Uids.problem(value);
        if (problem != null) throw HttpProblem.badRequest(name + " in the URL " + problem);
        return value;
    }

    /** The effective Accept: the {@code accept} query parameter overrides the header (PS3.18 8.7). */
    public AcceptHeader accept() {
        List<String> query = ctx.queryParamMap().getOrDefault("accept", List.of());
        var headers = ctx.req().getHeaders("Accept");
        List<String> lines = headers == null ? List.of() : Collections.list(headers);
        return AcceptHeader.effective(query, lines);
    }

    public String studyUrl(String studyUid) { return root + "/studies/" + studyUid; }

    public String seriesUrl(String studyUid, String seriesUid) { return studyUrl(studyUid) + "/series/" + seriesUid; }

    public String instanceUrl(String studyUid, String seriesUid, String sopUid) {
        return seriesUrl(studyUid, seriesUid) + "/instances/" + sopUid;
    }
}
