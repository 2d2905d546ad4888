package dev.stratus.web;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP client that sends each request with the bearer token of the tenant its URL names (/tenants/{t}/..., else
 * the default tenant), as one client application per tenant would: so a test written without tokens runs with
 * authorization on, and any request crossing into another tenant is refused.
 */
final class TokenPerTenantClient extends HttpClient {
    private static final Pattern TENANT = Pattern.compile("^/tenants/([^/]+)/");
    private final HttpClient http = HttpClient.newHttpClient();
    private final Function<String, String> tokenOfTenant;

    TokenPerTenantClient(Function<String, String> tokenOfTenant) {
        this.tokenOfTenant = tokenOfTenant;
    }

    private HttpRequest withToken(HttpRequest request) {
        Matcher m = TENANT.matcher(request.uri().getRawPath());
        String tenant = m.find() ? java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8) : "default";
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .header("Authorization", "Bearer " + tokenOfTenant.apply(tenant)).build();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        return http.send(withToken(request), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return http.sendAsync(withToken(request), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        return http.sendAsync(withToken(request), handler, push);
    }

    @Override public Optional<CookieHandler> cookieHandler() { return http.cookieHandler(); }
    @Override public Optional<Duration> connectTimeout() { return http.connectTimeout(); }
    @Override public Redirect followRedirects() { return http.followRedirects(); }
    @Override public Optional<ProxySelector> proxy() { return http.proxy(); }
    @Override public SSLContext sslContext() { return http.sslContext(); }
    @Override public SSLParameters sslParameters() { return http.sslParameters(); }
    @Override public Optional<Authenticator> authenticator() { return http.authenticator(); }
    @Override public Version version() { return http.version(); }
    @Override public Optional<Executor> executor() { return http.executor(); }
}
