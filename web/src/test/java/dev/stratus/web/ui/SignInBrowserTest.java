package dev.stratus.web.ui;

import dev.stratus.codec.DicomReader;
import dev.stratus.codec.TestFiles;
import dev.stratus.codec.Tag;
import dev.stratus.web.auth.Authorization;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipFile;

import static dev.stratus.web.ui.StudyBrowserTest.list;
import static dev.stratus.web.ui.StudyBrowserTest.map;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The study browser and the viewer with authorization on, in Debian's chromium, against a real OpenID provider
 * in-process (mock-oauth2-server, which signs the user in without a form and checks PKCE): the page goes to the
 * provider, comes back with a code, exchanges it for a token, and shows its tenant's studies; the download carries the
 * token too; the token is kept nowhere the page's storage holds; a token for another tenant shows the archive's 403 as
 * a message. A signed-in user uploads, deletes and opens OHIF, which signs in as its own and draws the study with
 * its token, while the same DICOMweb root refuses a request without one.
 */
class SignInBrowserTest {
    private static final String ISSUER_ID = "stratus-idp", AUDIENCE = "stratus", CLIENT = "stratus-browser";
    private static final String SCOPES = "dicom.read dicom.write dicom.delete";

    @TempDir
    Path dir;

    /**
     * The provider, started and asked once for its discovery document and keys: its first answer can take longer than
     * the archive waits for one (5 s) on a busy machine, which would fail the first store with 503.
     */
    private static MockOAuth2Server startedProvider() throws Exception {
        MockOAuth2Server provider = new MockOAuth2Server();
        provider.start();
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/.well-known/openid-configuration", "/jwks")) {
            http.send(HttpRequest.newBuilder(URI.create(provider.issuerUrl(ISSUER_ID) + path)).build(), HttpResponse.BodyHandlers.discarding());
        }
        return provider;
    }

    /** Tokens the provider gives the next sign-ins: for acme, with every permission. */
    private static void enqueueAcmeSignIns(MockOAuth2Server provider, int count) {
        for (int i = 0; i < count; i++) {
            provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "radiographer", "JWT", List.of(AUDIENCE),
                    Map.of("tenant", List.of("acme"), "scope", SCOPES), 3600));
        }
    }

    @Test
    void aSignedInUserUploadsDeletesAndViewsInOhifWithTheToken() throws Exception {
        Path scripts = BrowserScript.scripts();
        Path viewer = ViewerTest.installedViewer(scripts);
        Path upload = TestFiles.file("MR_small.dcm"), text = Files.writeString(dir.resolve("notes.txt"), "not an image");
        MockOAuth2Server provider = startedProvider();
        try {
            String issuer = provider.issuerUrl(ISSUER_ID).toString();
            Authorization auth = Authorization.oidc(issuer, AUDIENCE).withBrowserClientId(CLIENT);
            try (BrowserTestArchive archive = new BrowserTestArchive(dir.resolve("archive"), viewer, auth)) {
                archive.token = provider.issueToken(ISSUER_ID, "loader", AUDIENCE,
                        Map.of("tenant", List.of("acme"), "scope", SCOPES), 3600).serialize();
                String doomed = StudyBrowserTest.store(archive, "/tenants/acme/dicomweb", "Doomed^Study", "P-X", "20250603", "CT", 1)
                        .keySet().iterator().next();
                enqueueAcmeSignIns(provider, 4); // the browser's sign-in, the viewer's, and spares for a reload

                Map<String, String> spec = new LinkedHashMap<>();
                spec.put("base", archive.base);
                spec.put("page", "/tenants/acme/");
                spec.put("dicomweb", "/tenants/acme/dicomweb");
                spec.put("uploadFile", upload.toString());
                spec.put("notDicomFile", text.toString());
                spec.put("deleteName", "Doomed^Study");
                spec.put("viewStudy", ViewerTest.MR_STUDY);
                spec.put("screenshots", ViewerTest.screenshots());
                BrowserScript.Run run = BrowserScript.run(scripts, "signed-in-user.mjs", BrowserScript.object(spec));
                Map<String, Object> r = run.result();
                String context = run.toString();
                assertEquals(null, r.get("error"), context);

                Map<String, Object> uploaded = map(r.get("upload")), progress = map(uploaded.get("progress"));
                List<String> files = list(uploaded.get("files")).stream().map(String::valueOf).toList();
                List<Object> authorize = list(r.get("authorize"));
                Map<String, Object> withoutToken = map(r.get("withoutToken"));
                assertAll(context,
                        () -> assertTrue(String.valueOf(uploaded.get("status")).matches("Upload finished: (1 refused, 1 stored|1 stored, 1 refused)\\."),
                                String.valueOf(uploaded.get("status"))),
                        () -> assertTrue(files.contains("[notes.txt, refused, not a DICOM file (no Part 10 header): not sent]"), files.toString()),
                        () -> assertTrue(files.stream().anyMatch(f -> f.startsWith("[MR_small.dcm, stored,")), files.toString()),
                        () -> assertEquals(Boolean.TRUE, progress.get("shown")),
                        () -> assertEquals(progress.get("max"), progress.get("value"), "the progress bar full"),
                        () -> assertTrue(String.valueOf(r.get("dialogText")).contains(doomed), "the dialog names the study"),
                        () -> assertTrue(String.valueOf(r.get("deleteStatus")).startsWith("Deleted Doomed, Study"), String.valueOf(r.get("deleteStatus"))),
                        () -> assertEquals(List.of(), r.get("afterDelete")),
                        () -> assertEquals(archive.base + "/tenants/acme/viewer/viewer?StudyInstanceUIDs=" + ViewerTest.MR_STUDY, r.get("viewerUrl")),
                        () -> assertEquals(2, authorize.size(), "the browser's sign-in and the viewer's: " + authorize),
                        () -> assertTrue(String.valueOf(authorize.get(1)).contains("redirect_uri="
                                + URLEncoder.encode(archive.base + "/tenants/acme/viewer/callback", StandardCharsets.UTF_8)), "the viewer's: " + authorize),
                        () -> assertTrue(String.valueOf(authorize.get(1)).contains("code_challenge_method=S256"), "with PKCE: " + authorize),
                        () -> assertTrue(String.valueOf(authorize.get(1)).contains("scope=openid+dicom.read&") || String.valueOf(authorize.get(1)).contains("scope=openid%20dicom.read&"),
                                "the viewer asks to read only: " + authorize),
                        () -> assertTrue(list(r.get("storage")).stream().noneMatch(k -> String.valueOf(k).startsWith("oidc.user")),
                                "no token in the page's storage: " + r.get("storage")),
                        () -> assertEquals(401L, ((Number) withoutToken.get("status")).longValue(), "without a token"),
                        () -> assertTrue(String.valueOf(withoutToken.get("challenge")).startsWith("Bearer"), String.valueOf(withoutToken.get("challenge"))),
                        () -> assertEquals(List.of(), r.get("external"), "requests that would have left this machine"));
                ViewerTest.assertDrawn(map(r.get("viewer")), "the uploaded MR, in OHIF with the token: " + context);
                List<Map<String, Object>> sent = list(r.get("sentToArchive")).stream().map(StudyBrowserTest::map).toList();
                assertEquals(List.of(archive.base + "/tenants/acme/dicomweb/studies"),
                        sent.stream().filter(s -> !"Bearer".equals(s.get("authorization"))).map(s -> s.get("url")).toList(),
                        "every DICOMweb request with its token, but the one sent without on purpose: " + sent);
                assertTrue(sent.stream().anyMatch(s -> String.valueOf(s.get("url")).contains("/frames/")), "OHIF's frames, with the token: " + sent);
                assertEquals(401, archive.get("/tenants/acme/dicomweb/studies").statusCode(), "and over plain HTTP");
            }
        } finally {
            provider.shutdown();
        }
    }

    @Test
    void theBrowserSignsInWithPkceAndSeesItsTenantsStudies() throws Exception {
        Path scripts = BrowserScript.scripts();
        MockOAuth2Server provider = startedProvider();
        try {
            String issuer = provider.issuerUrl(ISSUER_ID).toString();
            Authorization auth = Authorization.oidc(issuer, AUDIENCE).withBrowserClientId(CLIENT);
            try (BrowserTestArchive archive = new BrowserTestArchive(dir.resolve("archive"), null, auth)) {
                archive.token = provider.issueToken(ISSUER_ID, "loader", AUDIENCE,
                        Map.of("tenant", List.of("acme", "default"), "scope", SCOPES), 3600).serialize();
                Map<String, List<String>> acme = StudyBrowserTest.store(archive, "/tenants/acme/dicomweb", "Signed^Acme", "P-A", "20250601", "CT", 2);
                StudyBrowserTest.store(archive, "/dicomweb", "Signed^Default", "P-D", "20250602", "CT", 1); // another tenant's

                // what the provider's next two sign-ins give: a token for acme, then one for another tenant only
                provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "radiographer", "JWT", List.of(AUDIENCE),
                        Map.of("tenant", List.of("acme"), "scope", SCOPES), 3600));
                provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "elsewhere", "JWT", List.of(AUDIENCE),
                        Map.of("tenant", List.of("other"), "scope", SCOPES), 3600));

                assertEquals("{\"auth\":{\"issuer\":\"" + issuer + "\",\"clientId\":\"" + CLIENT + "\",\"scopes\":\"openid " + SCOPES + "\"}}",
                        archive.get("/ui/config.json").body(), "what the page is told before it signs in");

                Path zip = dir.resolve("download.zip");
                Map<String, String> spec = new LinkedHashMap<>();
                spec.put("base", archive.base);
                spec.put("page", "/tenants/acme/");
                spec.put("issuer", issuer);
                spec.put("patientName", "Signed^*");
                spec.put("downloadTo", zip.toString());
                spec.put("screenshots", Files.createDirectories(Path.of("target/browser-screenshots")).toAbsolutePath().toString());
                BrowserScript.Run run = BrowserScript.run(scripts, "signin.mjs", BrowserScript.object(spec));
                Map<String, Object> r = run.result();
                String context = run.toString();
                assertEquals(null, r.get("error"), context);

                List<Object> authorize = list(r.get("authorize"));
                URI issuerUri = URI.create(issuer);
                String issuerOrigin = issuerUri.getScheme() + "://" + issuerUri.getRawAuthority();
                Map<String, Object> search = map(r.get("search")), other = map(r.get("otherTenant"));
                assertAll(context,
                        () -> assertEquals(2, authorize.size(), "a sign-in at the first load and one at the reload"),
                        () -> assertTrue(authorize.stream().allMatch(a -> String.valueOf(a).startsWith(issuer + "/authorize?")
                                && String.valueOf(a).contains("code_challenge_method=S256") && String.valueOf(a).contains("client_id=" + CLIENT)
                                && String.valueOf(a).contains("code_challenge=")), authorize.toString()),
                        () -> assertEquals(archive.base + "/tenants/acme/", r.get("firstUrl"), "back on the page, the code gone from its address"),
                        () -> assertTrue(String.valueOf(r.get("csp")).contains("connect-src 'self' " + issuerOrigin + ";"), String.valueOf(r.get("csp"))),
                        () -> assertEquals(List.of("Signed, Acme"), search.get("rows"), "this tenant's study, not the default tenant's"),
                        () -> assertEquals("{local=0, session=0}", String.valueOf(r.get("storage")), "no token (nor PKCE leftovers) in the page's storage"),
                        () -> assertEquals(acme.keySet().iterator().next() + ".zip", r.get("downloadName")),
                        () -> assertEquals(List.of(), other.get("rows")),
                        () -> assertTrue(String.valueOf(other.get("status")).contains("403"), String.valueOf(other.get("status"))),
                        () -> assertTrue(String.valueOf(other.get("status")).contains("does not grant the tenant 'acme'"), String.valueOf(other.get("status"))),
                        () -> assertEquals(Boolean.TRUE, r.get("otherTenantError")));
                List<Object> sent = list(r.get("sentToArchive"));
                assertFalse(sent.isEmpty(), context);
                assertTrue(sent.stream().allMatch(s -> "Bearer".equals(map(s).get("authorization"))), "every DICOMweb request with its token: " + sent);

                Set<String> inZip = new TreeSet<>();
                try (ZipFile z = new ZipFile(zip.toFile())) {
                    for (var e : Collections.list(z.entries())) {
                        inZip.add(DicomReader.read(z.getInputStream(e).readAllBytes()).dataSet().getString(Tag.SOPInstanceUID));
                    }
                }
                assertEquals(new TreeSet<>(acme.values().iterator().next()), inZip, "the downloaded study, fetched with the token");
            }
        } finally {
            provider.shutdown();
        }
    }
}
