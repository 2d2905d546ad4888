package dev.stratus.web.ui;

import dev.stratus.web.auth.Authorization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the study browser's pages and the viewer's files are served, over HTTP (no browser needed): types, caching,
 * the Content-Security-Policy, tenants, and a viewer directory shaped like OHIF's build (its index page and
 * configuration rewritten for the base it is served under; nothing outside it reachable).
 */
class UiRoutesTest {
    @TempDir
    Path dir;
    BrowserTestArchive archive;

    @AfterEach
    void close() {
        if (archive != null) archive.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(archive.base + path));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    /** The Content-Type as Jetty writes it: without the space before charset. */
    private static String type(HttpResponse<?> r) {
        return header(r, "Content-Type").replace("; ", ";");
    }

    @Test
    void theBrowserIsServedWithAStrictPolicyAndRevalidatedCaching() throws Exception {
        archive = new BrowserTestArchive(dir.resolve("archive"), null);
        HttpResponse<String> page = get("/");
        assertAll(
                () -> assertEquals(200, page.statusCode()),
                () -> assertEquals("text/html;charset=utf-8", type(page)),
                () -> assertEquals(BrowserPages.CSP, header(page, "Content-Security-Policy")),
                () -> assertTrue(header(page, "Content-Security-Policy").contains("script-src 'self';"), "no inline script"),
                () -> assertEquals("no-cache", header(page, "Cache-Control")),
                () -> assertTrue(page.body().contains("<meta name=\"stratus-viewer\" content=\"false\">"), "no viewer installed"),
                () -> assertTrue(page.body().contains("src=\"/ui/app.js\"")));
        String etag = header(page, "ETag");
        assertEquals(304, get("/", "If-None-Match", etag).statusCode(), "unchanged: not sent again");

        HttpResponse<String> config = get("/ui/config.json");
        assertAll("without authorization the page need not sign in",
                () -> assertEquals("application/json", type(config)),
                () -> assertEquals("{\"auth\":null}", config.body()));

        HttpResponse<String> js = get("/ui/app.js");
        assertAll(
                () -> assertEquals("text/javascript;charset=utf-8", type(js)),
                () -> assertTrue(js.body().contains("import * as dw from './dicomweb.js'")),
                () -> assertEquals(404, get("/ui/secret.properties").statusCode()),
                () -> assertEquals(404, get("/ui/..%2Flogback-test.xml").statusCode()));

        HttpResponse<String> tenantPage = get("/tenants/acme/");
        assertAll("a tenant's page",
                () -> assertEquals(200, tenantPage.statusCode()),
                () -> assertEquals(page.body(), tenantPage.body(), "the same page: it finds its DICOMweb root from its own URL"),
                () -> assertEquals(302, get("/tenants/acme").statusCode()),
                () -> assertEquals("/tenants/acme/", header(get("/tenants/acme"), "Location")),
                () -> assertEquals(400, get("/tenants/no%20such!/").statusCode(), "not a tenant name"));

        HttpResponse<String> viewer = get("/viewer/");
        assertEquals(404, viewer.statusCode());
        assertTrue(viewer.body().contains("./stratus viewer install"), viewer.body());
        assertEquals(404, get("/api/studies/1.2.3/archive.zip").statusCode(), "no such study");
        assertEquals(400, get("/api/studies/1.02.3/archive.zip").statusCode(), "not a UID");
    }

    @Test
    void theViewerIsServedUnderItsBaseWithTheTenantsDicomwebRoot() throws Exception {
        Path viewer = Files.createDirectories(dir.resolve("viewer"));
        Files.writeString(viewer.resolve("index.html"), "<html><head><script>window.PUBLIC_URL=\"/\"</script>"
                + "<script src=\"/app-config.js\"></script><link href=\"/app.bundle.css\" rel=\"stylesheet\"></head>"
                + "<body><script defer src=\"/app.bundle.0123456789abcdef.js\"></script></body></html>");
        Files.writeString(viewer.resolve("app.bundle.0123456789abcdef.js"), "console.log('ohif')");
        Files.createDirectories(viewer.resolve("assets"));
        Files.writeString(viewer.resolve("assets/manifest.json"), "{}");
        Files.writeString(dir.resolve("secret.txt"), "outside the viewer");
        Files.createSymbolicLink(viewer.resolve("link.txt"), dir.resolve("secret.txt"));
        archive = new BrowserTestArchive(dir.resolve("archive"), viewer);

        HttpResponse<String> index = get("/tenants/acme/viewer/");
        assertAll("the index under /tenants/acme/viewer/",
                () -> assertEquals(200, index.statusCode()),
                () -> assertEquals(ViewerFiles.CSP, header(index, "Content-Security-Policy")),
                () -> assertTrue(index.body().contains("window.PUBLIC_URL=\"/tenants/acme/viewer/\""), index.body()),
                () -> assertTrue(index.body().contains("src=\"/tenants/acme/viewer/app-config.js\""), index.body()),
                () -> assertTrue(index.body().contains("href=\"/tenants/acme/viewer/app.bundle.css\""), index.body()));
        HttpResponse<String> route = get("/viewer/viewer?StudyInstanceUIDs=1.2.3");
        assertTrue(route.body().contains("window.PUBLIC_URL=\"/viewer/\""), "the viewer's own routes are its index: " + route.body());

        HttpResponse<String> config = get("/tenants/acme/viewer/app-config.js");
        HttpResponse<String> defaultConfig = get("/viewer/app-config.js");
        assertAll("the viewer's configuration",
                () -> assertEquals("text/javascript;charset=utf-8", type(config)),
                () -> assertTrue(config.body().contains("qidoRoot: window.location.origin + '/tenants/acme/dicomweb'"), config.body()),
                () -> assertTrue(config.body().contains("wadoRoot: window.location.origin + '/tenants/acme/dicomweb'"), config.body()),
                () -> assertTrue(config.body().contains("routerBasename: '/tenants/acme/viewer'"), config.body()),
                () -> assertTrue(config.body().contains("investigationalUseDialog: { option: 'never' }"), "demo banner off"),
                () -> assertTrue(config.body().contains("customizationService: { 'ohif.tours': { $set: [] } }"), "no onboarding tour"),
                () -> assertTrue(defaultConfig.body().contains("qidoRoot: window.location.origin + '/dicomweb'"), defaultConfig.body()),
                () -> assertFalse(config.body().contains("oidc"), "authorization off: the viewer does not sign in"),
                () -> assertFalse(defaultConfig.body().contains("cloudfront"), "none of OHIF's demo sources"));

        HttpResponse<String> bundle = get("/viewer/app.bundle.0123456789abcdef.js");
        HttpResponse<String> manifest = get("/viewer/assets/manifest.json");
        assertAll("files",
                () -> assertEquals("console.log('ohif')", bundle.body()),
                () -> assertEquals("public, max-age=31536000, immutable", header(bundle, "Cache-Control"), "content-hashed: kept"),
                () -> assertEquals("application/json", type(manifest)),
                () -> assertEquals("no-cache", header(manifest, "Cache-Control")),
                () -> assertEquals(304, get("/viewer/assets/manifest.json", "If-None-Match", header(manifest, "ETag")).statusCode()));

        for (String escape : new String[] {"/viewer/..%2Fsecret.txt", "/viewer/assets/..%2F..%2Fsecret.txt", "/viewer/link.txt"}) {
            HttpResponse<String> r = get(escape);
            assertFalse(r.body().contains("outside the viewer"), escape + " reached a file outside the viewer");
        }
        assertTrue(get("/").body().contains("<meta name=\"stratus-viewer\" content=\"true\">"), "the browser offers the viewer");
    }

    @Test
    void withSignInTheViewerSignsInAsTheBrowsersClientReadingOnly() throws Exception {
        Path viewer = Files.createDirectories(dir.resolve("viewer"));
        Files.writeString(viewer.resolve("index.html"), "<html><head><script src=\"/app-config.js\"></script></head></html>");
        String issuer = "http://localhost:9/realms/o'brien"; // an apostrophe, which would end a '…' literal
        archive = new BrowserTestArchive(dir.resolve("archive"), viewer,
                Authorization.oidc(issuer, "stratus").withBrowserClientId("stratus-browser"));

        HttpResponse<String> config = get("/tenants/acme/viewer/app-config.js");
        HttpResponse<String> index = get("/tenants/acme/viewer/");
        assertAll("OHIF's own OpenID Connect client, as the browser's client: " + config.body(),
                () -> assertTrue(config.body().contains("authority: \"http://localhost:9/realms/o'brien\","), "the issuer, as a JSON string"),
                () -> assertTrue(config.body().contains("client_id: \"stratus-browser\","), "the browser's client id"),
                () -> assertTrue(config.body().contains("scope: \"openid dicom.read\","), "it only reads"),
                () -> assertTrue(config.body().contains("response_type: 'code',"), "code flow (PKCE: OHIF's client always)"),
                () -> assertTrue(config.body().contains("redirect_uri: '/callback',"), "back at /tenants/acme/viewer/callback"),
                () -> assertTrue(config.body().contains("userStore:"), "tokens in memory, not sessionStorage"),
                () -> assertTrue(config.body().contains("routerBasename: '/tenants/acme/viewer'")),
                () -> assertEquals(ViewerFiles.csp("http://localhost:9"), header(index, "Content-Security-Policy")),
                () -> assertTrue(header(index, "Content-Security-Policy").contains("connect-src 'self' data: blob: http://localhost:9;"),
                        "the viewer may reach the provider's discovery and token endpoints"));
    }
}
