package dev.stratus.app;

import dev.stratus.web.RewritingHttpClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A load balancer inside an HTTP client: each request goes to the next API node in turn, so that what one request
 * writes the next reads through another node; each carries {@code Forwarded: host=...;proto=...} naming the public
 * {@code base}, as a reverse proxy would (the nodes trust 127.0.0.1), so every URL the nodes answer with is the
 * balancer's. A node's own endpoints (/health, /metrics) go to the node that answered the request before, as a
 * probe asks the node it watches.
 */
final class RoundRobinClient extends RewritingHttpClient {
    private final URI base;
    private final Supplier<List<String>> nodes;
    private int next;
    private String previous;

    /** @param nodes the base URLs of the API nodes, asked on every request (a restarted node has a new port) */
    RoundRobinClient(URI base, Supplier<List<String>> nodes) {
        super(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());
        this.base = base;
        this.nodes = nodes;
    }

    private synchronized String pick(String path) {
        List<String> all = nodes.get();
        if (previous != null && (path.startsWith("/health") || path.equals("/metrics"))) return previous;
        previous = all.get(next++ % all.size());
        return previous;
    }

    @Override
    protected HttpRequest rewrite(HttpRequest request) {
        URI u = request.uri();
        String node = pick(u.getRawPath());
        URI to = URI.create(node + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
        return HttpRequest.newBuilder(request, (name, value) -> true).uri(to)
                .header("Forwarded", "proto=" + base.getScheme() + ";host=\"" + base.getRawAuthority() + "\"").build();
    }
}
