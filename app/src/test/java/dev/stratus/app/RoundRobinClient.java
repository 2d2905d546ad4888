package dev.stratus.app;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A load balancer inside an HTTP client: each request goes to the next API node in turn, so that what one request
 * writes the next reads through another node; each carries {@code Forwarded: host=...;proto=...} naming the public
 * {@code base}, as a reverse proxy would (the nodes trust 127.0.0.1), so every URL the nodes answer with is the
 * balancer's. A node's own endpoints (/health, /metrics) go to the node that answered the request before, as a
 * probe asks the node it watches.
 */
final class RoundRobinClient extends HttpClient {
    private final HttpClient http = HttpClient.newBuilder().version(Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final Supplier<List<String>> nodes;
    private int next;
    private String previous;

    /** @param nodes the base URLs of the API nodes, asked on every request (a restarted node has a new port) */
    RoundRobinClient(URI base, Supplier<List<String>> nodes) {
        this.base = base;
        this.nodes = nodes;
    }

    private synchronized String pick(String path) {
        List<String> all = nodes.get();
        if (previous != null && (path.startsWith("/health") || path.equals("/metrics"))) return previous;
        previous = all.get(next++ % all.size());
        return previous;
    }

    private HttpRequest balanced(HttpRequest request) {
        URI u = request.uri();
        String node = pick(u.getRawPath());
        URI to = URI.create(node + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
        return HttpRequest.newBuilder(request, (name, value) -> true).uri(to)
                .header("Forwarded", "proto=" + base.getScheme() + ";host=\"" + base.getRawAuthority() + "\"").build();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        return http.send(balanced(request), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return http.sendAsync(balanced(request), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        return http.sendAsync(balanced(request), handler, push);
    }

    @Override
    public void close() {
        http.close();
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
