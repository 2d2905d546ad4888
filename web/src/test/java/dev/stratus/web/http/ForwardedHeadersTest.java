package dev.stratus.web.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {
    /** The base for a plain http request on port 8080 with these Host and other headers. */
    private static String base(String host, String... namesAndValues) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.computeIfAbsent(namesAndValues[i], k -> new java.util.ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return ForwardedHeaders.resolve("http", host, 8080, headers::get).url();
    }

    @Test
    void withoutProxyHeadersTheRequestItselfDecides() {
        assertEquals("http://archive.example.org:8080", base("archive.example.org:8080"));
        assertEquals("http://archive.example.org", base("Archive.Example.org"));
        assertEquals("http://[2001:db8::1]:8080", base("[2001:DB8::1]:8080"));
        assertEquals("http://192.0.2.7", base("192.0.2.7:80"));
        assertEquals("https://archive.example.org", ForwardedHeaders.direct("HTTPS", "archive.example.org", 8443).url());
    }

    @Test
    void anUnusableHostHeaderFallsBackToLocalhostAndTheLocalPort() {
        assertEquals("http://localhost:8080", base(null));
        assertEquals("http://localhost:8080", base("evil.example.org/path"));
        assertEquals("http://localhost:8080", base("evil example.org"));
        assertEquals("http://localhost:8080", base("a.example.org:99999"));
        assertEquals("http://localhost:8080", base("a.example.org:"));
        assertEquals("http://localhost:8080", base("[::1"));
        assertEquals("http://localhost:8080", base("user@a.example.org"));
    }

    @Test
    void forwardedFirstHopWithQuotedValuesAndIpv6() {
        assertEquals("https://[2001:db8:cafe::17]:4711", base("internal:8080",
                "Forwarded", "for=192.0.2.60;proto=https;host=\"[2001:db8:cafe::17]:4711\", for=10.0.0.1;proto=http;host=internal"));
        assertEquals("https://pacs.example.org", base("internal:8080", "Forwarded", "Proto=HTTPS; Host=pacs.example.org"));
        assertEquals("http://pacs.example.org:81", base("internal:8080", "Forwarded", "host=\"pacs.example.org:81\";for=\"_hidden\""));
    }

    @Test
    void forwardedWithOnlyAProtoKeepsTheHostHeaderAtTheDefaultPort() {
        assertEquals("https://archive.example.org", base("archive.example.org:8080", "Forwarded", "for=192.0.2.60;proto=https"));
    }

    @Test
    void forwardedWinsOverXForwarded() {
        assertEquals("https://a.example.org", base("internal",
                "Forwarded", "proto=https;host=a.example.org", "X-Forwarded-Host", "b.example.org", "X-Forwarded-Proto", "http"));
    }

    @Test
    void anInvalidForwardedFallsBackToXForwarded() {
        assertEquals("https://b.example.org", base("internal",
                "Forwarded", "host=\"bad host\";proto=gopher", "X-Forwarded-Host", "b.example.org", "X-Forwarded-Proto", "https"));
        assertEquals("https://b.example.org", base("internal",
                "Forwarded", "host=\"unterminated", "X-Forwarded-Host", "b.example.org", "X-Forwarded-Proto", "https"));
    }

    @Test
    void xForwardedHeadersTakeTheFirstValue() {
        assertEquals("https://pacs.example.org/dicomweb", base("internal:8080",
                "X-Forwarded-Proto", "https, http", "X-Forwarded-Host", "pacs.example.org, internal", "X-Forwarded-Prefix", "/dicomweb/"));
        assertEquals("https://pacs.example.org:8443", base("internal:8080",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "pacs.example.org", "X-Forwarded-Port", "8443"));
        assertEquals("http://pacs.example.org:81", base("internal:8080", "X-Forwarded-Host", "pacs.example.org:81"));
        assertEquals("https://internal", base("internal:8080", "X-Forwarded-Proto", "https"));
        assertEquals("http://internal:9000", base("internal:8080", "X-Forwarded-Port", "9000"));
    }

    @Test
    void invalidXForwardedValuesAreIgnored() {
        assertEquals("http://internal:8080", base("internal:8080",
                "X-Forwarded-Host", "evil.example.org/x", "X-Forwarded-Proto", "javascript", "X-Forwarded-Port", "0"));
        assertEquals("http://internal:8080", base("internal:8080", "X-Forwarded-Host", "a b", "X-Forwarded-Port", "80x"));
    }

    @Test
    void prefixesAreValidated() {
        assertEquals("http://h/a/b%20c", base("h", "X-Forwarded-Prefix", "/a/b%20c"));
        assertEquals("http://h", base("h", "X-Forwarded-Prefix", "/"));
        assertEquals("http://h", base("h", "X-Forwarded-Prefix", "a/b"));
        assertEquals("http://h", base("h", "X-Forwarded-Prefix", "/a b"));
        assertEquals("http://h", base("h", "X-Forwarded-Prefix", "/a/../b"));
        assertEquals("http://h", base("h", "X-Forwarded-Prefix", "//evil.example.org"));
        assertEquals("http://h", base("h", "X-Forwarded-Prefix", "/a?x=1"));
        assertEquals("http://h", base("h", "X-Forwarded-Prefix", "/a%2"));
        assertEquals("http://h", base("h", "X-Forwarded-Prefix", "/a\"><script>"));
    }

    @Test
    void theBaseResolvesPaths() {
        ExternalBase b = new ExternalBase("https", "pacs.example.org", 8443, "/dicomweb");
        assertEquals("https://pacs.example.org:8443/dicomweb/studies/1.2.3", b.resolve("/studies/1.2.3"));
        assertEquals("pacs.example.org:8443", b.authority());
        assertEquals("https://pacs.example.org:8443/dicomweb", b.toString());
    }
}
