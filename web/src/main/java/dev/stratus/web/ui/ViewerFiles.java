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
 * {@code app-config.js} is ours, pointing at the tenant's DICOMweb root on this origin, demo banners off.
 */
final class ViewerFiles {
    /** OHIF evaluates code it builds at run time and compiles its WASM codecs; still nothing but this origin. */
    static final String CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; "
            + "connect-src 'self' data: blob:; frame-ancestors 'self'; base-uri 'self'";
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

    private ViewerFiles(Path dir) {
        this.dir = dir;
    }

    static ViewerFiles in(Path dir) {
        if (dir == null || !Files.isRegularFile(dir.resolve("index.html"))) return new ViewerFiles(null);
        try {
            return new ViewerFiles(dir.toRealPath());
        } catch (IOException e) {
            return new ViewerFiles(null);
        }
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
        ctx.header("Content-Security-Policy", CSP);
        String name = ctx.pathParamMap().getOrDefault("file", "");
        if (name.equals("app-config.js")) {
            noCache(ctx);
            ctx.contentType("text/javascript; charset=utf-8").result(config(prefix));
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

    /** The viewer's configuration: the archive's DICOMweb root for this tenant, on the origin the page came from. */
    static String config(String prefix) {
        return """
                /* Written by Stratus: OHIF on this archive's DICOMweb root. */
                window.config = {
                  name: 'stratus',
                  routerBasename: '%1$s/viewer',
                  extensions: [],
                  modes: [],
                  customizationService: {},
                  showStudyList: true,
                  maxNumberOfWebWorkers: 3,
                  showWarningMessageForCrossOrigin: false,
                  showCPUFallbackMessage: false,
                  showLoadingIndicator: true,
                  investigationalUseDialog: { option: 'never' },
                  strictZSpacingForVolumeViewport: true,
                  showErrorDetails: 'always',
                  defaultDataSourceName: 'stratus',
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
                """.formatted(prefix);
    }

    private static void noCache(Context ctx) {
        ctx.header("Cache-Control", "no-cache");
    }
}
