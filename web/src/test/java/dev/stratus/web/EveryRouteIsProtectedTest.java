package dev.stratus.web;

import dev.stratus.web.auth.Capability;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route the server registers, enumerated from its router (so a route added later is in this list without
 * anyone remembering it): each has a capability that fits its method, refuses a request without a token, refuses a
 * token for another tenant, and refuses a token lacking exactly its permission.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryRouteIsProtectedTest {
    private static final Map<String, String> PARAMS = Map.of("{tenant}", "alpha", "{study}", "1.2.3", "{series}", "1.2.3.4",
            "{instance}", "1.2.3.4.5", "{frames}", "1", "{range}", "0-2", "{file}", "app.js", "<file>", "app-config.js");
    /** The open routes besides the health probes: the study browser's pages and the viewer's files, no data in them. */
    private static final java.util.regex.Pattern OPEN_PAGES = java.util.regex.Pattern.compile("(/tenants/\\{tenant})?(/|/ui/\\{file}|/viewer/|/viewer/<file>)|/ui/config\\.json");

    @TempDir
    static Path dir;
    TestIdentityProvider idp;
    TestArchive archive;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        idp = new TestIdentityProvider();
        archive = new TestArchive(dir, Map.of(), TestBackend.SQLITE, s -> s.withAuthorization(idp.authorization()), http);
    }

    @AfterAll
    void stop() {
        archive.close();
        idp.close();
    }

    private static String concrete(String template) {
        String path = template;
        for (var e : PARAMS.entrySet()) path = path.replace(e.getKey(), e.getValue());
        assertFalse(path.contains("{"), "a path parameter this test does not know: " + template);
        return path;
    }

    /** The tenant a route's URL addresses. */
    private static String tenantOf(String template) {
        return template.startsWith("/tenants/{tenant}/") ? "alpha" : "default";
    }

    private HttpResponse<String> call(DicomWebServer.Route route, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(archive.base + concrete(route.path())))
                .method(route.method(), route.method().equals("POST")
                        ? HttpRequest.BodyPublishers.ofString("--x--") : HttpRequest.BodyPublishers.noBody());
        if (route.method().equals("POST")) b.header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=x");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<DicomWebServer.Route> routes() {
        List<DicomWebServer.Route> routes = archive.server.routes();
        assertTrue(routes.size() > 50, "the router lists every route: " + routes);
        return routes;
    }

    @Test
    void everyRouteHasTheCapabilityOfItsMethod() {
        List<String> paths = new ArrayList<>();
        for (DicomWebServer.Route r : routes()) {
            assertNotNull(r.capability(), "registered without a capability (it would be refused): " + r);
            Set<Capability> fitting = switch (r.method()) {
                case "GET" -> Set.of(Capability.READ, Capability.OPEN, Capability.METRICS);
                case "POST" -> Set.of(Capability.WRITE);
                case "DELETE" -> Set.of(Capability.DELETE);
                default -> Set.of();
            };
            assertTrue(fitting.contains(r.capability()), r.toString());
            if (r.capability() == Capability.OPEN) {
                assertTrue(r.path().startsWith("/health/") || OPEN_PAGES.matcher(r.path()).matches(), "only health probes and pages are open: " + r);
            }
            paths.add(r.method() + " " + r.path());
        }
        assertTrue(paths.containsAll(List.of("GET /wado-rs/v1/studies/{study}/metadata", "POST /stow-rs/v1/studies",
                "GET /tenants/{tenant}/dicomweb/studies", "DELETE /dicomweb/studies/{study}", "GET /metrics")), paths.toString());
    }

    @Test
    void everyProtectedRouteRefusesARequestWithoutAToken() throws Exception {
        for (DicomWebServer.Route r : routes()) {
            HttpResponse<String> answer = call(r, null);
            if (r.capability() == Capability.OPEN) {
                if (r.path().startsWith("/health/")) assertTrue(answer.statusCode() == 200 || answer.statusCode() == 503, r + " -> " + answer.statusCode());
                else assertTrue(Set.of(200, 301, 302, 404).contains(answer.statusCode()), r + " -> " + answer.statusCode()); // 404: no viewer installed
                continue;
            }
            assertEquals(401, answer.statusCode(), r + " -> " + answer.body());
            assertEquals("Bearer realm=\"stratus\"", answer.headers().firstValue("WWW-Authenticate").orElse(null), r.toString());
        }
    }

    @Test
    void everyTenantRouteRefusesATokenForAnotherTenant() throws Exception {
        String elsewhere = idp.token(List.of("gamma"), TestIdentityProvider.ALL_SCOPES);
        for (DicomWebServer.Route r : routes()) {
            if (!r.capability().tenantScoped()) continue;
            HttpResponse<String> answer = call(r, elsewhere);
            assertEquals(403, answer.statusCode(), r + " -> " + answer.body());
            assertTrue(answer.body().contains("does not grant the tenant '" + tenantOf(r.path()) + "'"), r + " -> " + answer.body());
        }
    }

    @Test
    void everyRouteRefusesATokenLackingExactlyItsPermission() throws Exception {
        Map<Capability, String> scopes = Map.of(Capability.READ, "dicom.read", Capability.WRITE, "dicom.write",
                Capability.DELETE, "dicom.delete", Capability.METRICS, "stratus.metrics");
        for (DicomWebServer.Route r : routes()) {
            if (r.capability() == Capability.OPEN) continue;
            String allBut = String.join(" ", scopes.entrySet().stream().filter(e -> e.getKey() != r.capability()).map(Map.Entry::getValue).toList());
            HttpResponse<String> answer = call(r, idp.token(List.of(tenantOf(r.path())), allBut));
            assertEquals(403, answer.statusCode(), r + " -> " + answer.body());
            assertTrue(answer.headers().firstValue("WWW-Authenticate").orElseThrow().contains("scope=\"" + scopes.get(r.capability()) + "\""),
                    r.toString());
        }
    }
}
