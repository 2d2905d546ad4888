package dev.stratus.web;

import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP client that sends each request with the bearer token of the tenant its URL names (/tenants/{t}/..., else
 * the default tenant), as one client application per tenant would: so a test written without tokens runs with
 * authorization on, and any request crossing into another tenant is refused.
 */
final class TokenPerTenantClient extends RewritingHttpClient {
    private static final Pattern TENANT = Pattern.compile("^/tenants/([^/]+)/");
    private final Function<String, String> tokenOfTenant;

    TokenPerTenantClient(Function<String, String> tokenOfTenant) {
        super(HttpClient.newHttpClient());
        this.tokenOfTenant = tokenOfTenant;
    }

    @Override
    protected HttpRequest rewrite(HttpRequest request) {
        Matcher m = TENANT.matcher(request.uri().getRawPath());
        String tenant = m.find() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : "default";
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .header("Authorization", "Bearer " + tokenOfTenant.apply(tenant)).build();
    }
}
