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

/**
 * An HTTP client that rewrites every request before a real client sends it (a token added, a node picked...), so
 * that a test written against one plain server runs unchanged through what a subclass stands for.
 */
public abstract class RewritingHttpClient extends HttpClient {
    private final HttpClient http;

    protected RewritingHttpClient(HttpClient http) {
        this.http = http;
    }

    /** The request as it is really sent. */
    protected abstract HttpRequest rewrite(HttpRequest request);

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        return http.send(rewrite(request), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return http.sendAsync(rewrite(request), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        return http.sendAsync(rewrite(request), handler, push);
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
