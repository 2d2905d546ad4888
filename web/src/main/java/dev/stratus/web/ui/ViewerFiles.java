package dev.stratus.web.ui;

import dev.stratus.index.TenantId;
import dev.stratus.web.DicomWebRequest;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * OHIF's production build (npm {@code @ohif/app}, installed by {@code ./stratus viewer install} into a directory of its
 * own, so that the executable stays small) served at {@code /viewer/} and {@code /tenants/{t}/viewer/}. The build
 * assumes it lives at {@code /}: its index page is rewritten to the base it is served under, and its
 * {@code app-config.js} is ours, pointing at the tenant's DICOMweb root on this origin, demo banners off, and with
 * authorization on, signing in through OHIF's own OpenID Connect client (code flow with PKCE) as the browser's client.
 */
final class ViewerFiles {
    /** OHIF evaluates code it builds at run time and compiles its WASM codecs; still nothing but this origin. */
    static final String CSP = csp(null);
    /** Webpack's content-hashed names (app.bundle.0f6159c501addfe9.js, 776f756dd939124e.wasm): never change, cache for good. */
    private static final Pattern HASHED = Pattern.compile(".*[./][0-9a-f]{16}\\.(js|wasm|css)$");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("wasm", "application/wasm"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"), Map.entry("woff2", "font/woff2"),
            Map.entry("woff", "font/woff"), Map.entry("ttf", "font/ttf"), Map.entry("xml", "application/xml"),
            Map.entry("onnx", "application/octet-stream"), Map.entry("map", "application/json"), Map.entry("txt", "text/plain; charset=utf-8"));

    private final Path dir;
    private final BrowserSignIn signIn;
    private final String csp;

    private ViewerFiles(Path dir, BrowserSignIn signIn) {
        this.dir = dir;
        this.signIn = signIn;
        this.csp = csp(signIn.issuerOrigin);
    }

    /** @param signIn whether, and with which provider and client, the viewer signs in */
    static ViewerFiles in(Path dir, BrowserSignIn signIn) {
        if (dir == null || !Files.isRegularFile(dir.resolve("index.html"))) return new ViewerFiles(null, signIn);
        try {
            return new ViewerFiles(dir.toRealPath(), signIn);
        } catch (IOException e) {
            return new ViewerFiles(null, signIn);
        }
    }

    /** @param issuerOrigin the OpenID provider's origin the viewer signs in with (discovery, token), or null */
    static String csp(String issuerOrigin) {
        String provider = issuerOrigin == null ? "" : " " + issuerOrigin;
        return "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'; "
                + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; "
                + "connect-src 'self' data: blob:" + provider + "; frame-ancestors 'self'; base-uri 'self'";
    }

    boolean installed() {
        return dir != null;
    }

    void handle(Context ctx) throws IOException {
        TenantId tenant = DicomWebRequest.tenantOf(ctx); // validated: it is written into the page and the config
        boolean named = ctx.pathParamMap().containsKey("tenant");
        String prefix = named ? "/tenants/" + tenant.name() : "";
        if (dir == null) {
            ctx.status(404).contentType("text/plain; charset=utf-8")
                    .result("the viewer is not installed: run `./stratus viewer install` (see docs/viewer.md)");
            return;
        }
        ctx.header("Content-Security-Policy", csp);
        String name = ctx.pathParamMap().getOrDefault("file", "");
        if (name.equals("app-config.js")) {
            noCache(ctx);
            ctx.contentType("text/javascript; charset=utf-8").result(config(prefix, signIn));
            return;
        }
        Path file = name.isEmpty() ? null : resolve(name);
        if (file == null || name.equals("index.html")) {
            // the viewer's own routes (/viewer/viewer?StudyInstanceUIDs=…) are pages of its single-page app
            noCache(ctx);
            ctx.contentType("text/html; charset=utf-8").result(index(prefix + "/viewer/"));
            return;
        }
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        String etag = "\"" + Long.toHexString(attrs.size()) + "-" + Long.toHexString(attrs.lastModifiedTime().toMillis()) + "\"";
        ctx.header("Cache-Control", HASHED.matcher(name).matches() ? "public, max-age=31536000, immutable" : "no-cache");
        ctx.header("ETag", etag);
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        ctx.contentType(TYPES.getOrDefault(ext, "application/octet-stream"));
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(ctx.outputStream());
        }
    }

    /** A regular file inside the viewer's directory (never outside it, whatever the path says), or null. */
    private Path resolve(String name) throws IOException {
        if (name.length() > 512 || name.contains("\\") || name.contains("\0")) return null;
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return null;
        return p.toRealPath().startsWith(dir) ? p : null;
    }

    private String index(String base) throws IOException {
        String html = Files.readString(dir.resolve("index.html"), StandardCharsets.UTF_8);
        return html.replace("window.PUBLIC_URL=\"/\"", "window.PUBLIC_URL=\"" + base + "\"")
                .replace("src=\"/", "src=\"" + base).replace("href=\"/", "href=\"" + base);
    }

    /**
     * The viewer's configuration: the archive's DICOMweb root for this tenant, on the origin the page came from; with
     * sign-in on, OHIF's {@code oidc} client too.
     */
    static String config(String prefix, BrowserSignIn signIn) {
        return """
                /* Written by Stratus: OHIF on this archive's DICOMweb root. */
                window.config = {
                  name: 'stratus',
                  routerBasename: '%1$s/viewer',
                  extensions: [],
                  modes: [],
                  customizationService: { 'ohif.tours': { $set: [] } }, // no onboarding tour over the first image
                  showStudyList: true,
                  maxNumberOfWebWorkers: 3,
                  showWarningMessageForCrossOrigin: false,
                  showCPUFallbackMessage: false,
                  showLoadingIndicator: true,
                  investigationalUseDialog: { option: 'never' },
                  strictZSpacingForVolumeViewport: true,
                  showErrorDetails: 'always',
                  defaultDataSourceName: 'stratus',%2$s
                  dataSources: [
                    {
                      namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
                      sourceName: 'stratus',
                      configuration: {
                        friendlyName: 'Stratus',
                        name: 'stratus',
                        wadoUriRoot: window.location.origin + '%1$s/dicomweb',
                        qidoRoot: window.location.origin + '%1$s/dicomweb',
                        wadoRoot: window.location.origin + '%1$s/dicomweb',
                        qidoSupportsIncludeField: true,
                        imageRendering: 'wadors',
                        thumbnailRendering: 'wadors',
                        enableStudyLazyLoad: true,
                        supportsFuzzyMatching: false,
                        supportsWildcard: true,
                        staticWado: false,
                        singlepart: 'bulkdata,video',
                        bulkDataURI: { enabled: true },
                        omitQuotationForMultipartRequest: true,
                      },
                    },
                  ],
                };
                """.formatted(prefix, signIn.on ? oidc(signIn) : "");
    }

    /**
     * OHIF's own OpenID Connect client (oidc-client-ts; code flow, PKCE S256) as the browser's public client, reading
     * only. It comes back to {@code {base}/viewer/callback} (to register with the provider) and then opens the address
     * it was asked for. Its tokens are kept in the page's memory, as the browser's are (oidc-client-ts would keep them
     * in sessionStorage), so every load of the viewer signs in again; a 401 after the first minute (an expired token)
     * reloads the page to do so. No silent renewal: OHIF's silent-refresh.html is built for an older client.
     */
    private static String oidc(BrowserSignIn signIn) {
        return """

                  oidc: [
                    {
                      authority: %s,
                      client_id: %s,
                      scope: %s,
                      response_type: 'code',
                      redirect_uri: '/callback',
                      post_logout_redirect_uri: '/',
                      automaticSilentRenew: false,
                      userStore: (() => {
                        const memory = new Map();
                        return {
                          set: async (key, value) => { memory.set(key, value); },
                          get: async key => memory.get(key) ?? null,
                          remove: async key => { const value = memory.get(key) ?? null; memory.delete(key); return value; },
                          getAllKeys: async () => [...memory.keys()],
                        };
                      })(),
                    },
                  ],
                  httpErrorHandler: error => {
                    if (error?.status === 401 && performance.now() > 60000) location.reload();
                  },""".formatted(BrowserSignIn.literal(signIn.issuer), BrowserSignIn.literal(signIn.clientId),
                BrowserSignIn.literal(signIn.viewerScopes));
    }

    private static void noCache(Context ctx) {
        ctx.header("Cache-Control", "no-cache");
    }
}
