package dev.stratus.web;

import dev.stratus.codec.Uids;
import dev.stratus.index.TenantId;
import dev.stratus.web.http.AcceptHeader;
import dev.stratus.web.http.ExternalBase;
import dev.stratus.web.http.TrustedProxies;
import io.javalin.config.Key;
import io.javalin.http.Context;

import java.util.Collections;
import java.util.List;

/** What every DICOMweb handler needs from a request: the tenant, validated UIDs, the external root URL, Accept. */
public record DicomWebRequest(Context ctx, TenantId tenant, String study, String series, String instance, String root) {

    /** The header of the system Stratus descends from that names the tenant on the default roots. */
    public static final String TENANT_HEADER = "x-tenant";
    /** Set by {@link DicomWebServer}: whose forwarding headers to believe. */
    static final Key<TrustedProxies> TRUSTED_PROXIES = new Key<>("stratus.trustedProxies");

    public static DicomWebRequest of(Context ctx) {
        TenantId tenant = tenantOf(ctx);
        String study = uid(ctx, "study", "StudyInstanceUID");
        String series = uid(ctx, "series", "SeriesInstanceUID");
        String instance = uid(ctx, "instance", "SOPInstanceUID");
        TrustedProxies proxies = ctx.appData(TRUSTED_PROXIES);
        ExternalBase base = proxies.resolve(ctx.req().getRemoteAddr(), ctx.scheme(), ctx.header("Host"), ctx.port(),
                name -> {
                    var values = ctx.req().getHeaders(name);
                    return values == null ? List.of() : Collections.list(values);
                });
        // The tenant's own root whatever alias or header the request came by, so that the URLs work without the header.
        boolean named = ctx.pathParamMap().containsKey("tenant") || ctx.header(TENANT_HEADER) != null;
        String root = base.url() + (named ? "/tenants/" + tenant.name() + "/dicomweb" : "/dicomweb");
        return new DicomWebRequest(ctx, tenant, study, series, instance, root);
    }

    /**
     * The tenant a request addresses: the URL's, else the {@value #TENANT_HEADER} header's, else the default one. A
     * header naming another tenant than the URL is refused rather than either being picked.
     */
    public static TenantId tenantOf(Context ctx) {
        String inPath = ctx.pathParamMap().get("tenant");
        var lines = ctx.req().getHeaders(TENANT_HEADER);
        List<String> header = lines == null ? List.of() : Collections.list(lines);
        if (header.size() > 1) throw HttpProblem.badRequest("more than one " + TENANT_HEADER + " header");
        String inHeader = header.isEmpty() ? null : header.getFirst().strip();
        if (inPath != null && inHeader != null && !inPath.equals(inHeader)) {
            throw HttpProblem.badRequest("the " + TENANT_HEADER + " header names another tenant than the URL");
        }
        String name = inPath != null ? inPath : inHeader;
        if (name == null) return TenantId.DEFAULT;
        if (!TenantId.isValid(name)) {
            throw HttpProblem.badRequest("invalid tenant name in the " + (inPath != null ? "URL" : TENANT_HEADER + " header")
                    + ": 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        return new TenantId(name);
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
