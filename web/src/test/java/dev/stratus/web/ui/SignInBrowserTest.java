package dev.stratus.web.ui;

import dev.stratus.codec.DicomReader;
import dev.stratus.codec.Tag;
import dev.stratus.web.auth.Authorization;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
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
 * The study browser with authorization on, in Debian's chromium, against a real OpenID provider in-process
 * (mock-oauth2-server, which signs the user in without a form and checks PKCE): the page goes to the provider, comes
 * back with a code, exchanges it for a token, and shows its tenant's studies; the download carries the token too; the
 * token is kept nowhere the page's storage holds; a token for another tenant shows the archive's 403 as a message.
 */
class SignInBrowserTest {
    private static final String ISSUER_ID = "stratus-idp", AUDIENCE = "stratus", CLIENT = "stratus-browser";
    private static final String SCOPES = "dicom.read dicom.write dicom.delete";

    @TempDir
    Path dir;

    @Test
    void theBrowserSignsInWithPkceAndSeesItsTenantsStudies() throws Exception {
        Path scripts = BrowserScript.scripts();
        MockOAuth2Server provider = new MockOAuth2Server();
        provider.start();
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
