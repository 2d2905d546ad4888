package dev.stratus.web.ui;

import dev.stratus.web.DicomWebRequest;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The study browser's files, read once from the classpath ({@code /ui/}): a fixed list, so that no path a request
 * names can reach anything else. Answered with an ETag and {@code no-cache} (revalidated, never stale after an
 * upgrade) and a Content-Security-Policy that allows nothing but this origin.
 */
final class BrowserPages {
    /** Only this origin, no inline script or style: the pages show patient data, so no injected code may run. */
    static final String CSP = csp(null);
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "auth.js", "text/javascript; charset=utf-8",
            "dicomweb.js", "text/javascript; charset=utf-8",
            "upload.js", "text/javascript; charset=utf-8",
            "part10.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "icon.svg", "image/svg+xml");

    /** @param issuerOrigin the OpenID provider's origin the page signs in with (discovery, token), or null */
    static String csp(String issuerOrigin) {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'"
                + (issuerOrigin == null ? "" : " " + issuerOrigin) + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    private record Asset(byte[] bytes, String type, String etag) {}

    private final Map<String, Asset> assets;
    private final String csp;

    private BrowserPages(Map<String, Asset> assets, String csp) {
        this.assets = assets;
        this.csp = csp;
    }

    /**
     * @param viewerInstalled whether the page offers "Open in viewer"
     * @param issuerOrigin the provider's origin when the page signs in, else null
     */
    static BrowserPages load(boolean viewerInstalled, String issuerOrigin) {
        var map = new HashMap<String, Asset>();
        for (var e : TYPES.entrySet()) {
            byte[] bytes = read(e.getKey());
            if (e.getKey().equals("index.html")) {
                bytes = new String(bytes, StandardCharsets.UTF_8).replace("{{viewer}}", String.valueOf(viewerInstalled))
                        .getBytes(StandardCharsets.UTF_8);
            }
            map.put(e.getKey(), new Asset(bytes, e.getValue(), etag(bytes)));
        }
        return new BrowserPages(Map.copyOf(map), csp(issuerOrigin));
    }

    void index(Context ctx) {
        DicomWebRequest.tenantOf(ctx); // a page for a tenant that cannot exist is refused (400), not shown empty
        if (!ctx.path().endsWith("/")) { // Javalin matched /tenants/t for /tenants/t/; the page needs the slash
            ctx.redirect(ctx.path() + "/");
            return;
        }
        send(ctx, assets.get("index.html"));
    }

    void asset(Context ctx) {
        String name = ctx.pathParam("file");
        Asset a = name.equals("index.html") ? null : assets.get(name);
        if (a == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("no such file in the study browser: " + name);
            return;
        }
        send(ctx, a);
    }

    private void send(Context ctx, Asset a) {
        ctx.header("Cache-Control", "no-cache");
        ctx.header("ETag", a.etag());
        ctx.header("Content-Security-Policy", csp);
        ctx.header("Referrer-Policy", "no-referrer");
        if (a.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(a.type()).result(a.bytes());
    }

    private static byte[] read(String name) {
        try (InputStream in = BrowserPages.class.getResourceAsStream("/ui/" + name)) {
            if (in == null) throw new IllegalStateException("the study browser's file /ui/" + name + " is missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
