package dev.stratus.web.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {
    private static final Map<String, List<String>> FORWARDED = Map.of("X-Forwarded-Proto", List.of("https"),
            "X-Forwarded-Host", List.of("pacs.example.org"));

    @Test
    void addressesAndRangesOfBothFamilies() {
        TrustedProxies p = TrustedProxies.of(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));
        assertTrue(p.trusts("10.1.2.3"));
        assertTrue(p.trusts("192.168.1.7"));
        assertFalse(p.trusts("192.168.1.8"));
        assertTrue(p.trusts("fd12::1"));
        assertTrue(p.trusts("[fd12::1]"));
        assertFalse(p.trusts("fe80::1"));
        assertFalse(p.trusts("not-an-address"));
        assertFalse(TrustedProxies.NONE.trusts("127.0.0.1"));
    }

    @Test
    void hostnamesAndNonsenseAreRefusedNamingTheEntry() {
        for (String bad : List.of("proxy.internal", "cafe", "10.0.0.0/33", "10.0.0.0/", "fd00::/129", "", "10.0.0.1/8x")) {
            String m = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of(bad))).getMessage();
            assertTrue(m.contains("'" + bad + "'"), m);
        }
    }

    @Test
    void forwardingHeadersCountOnlyFromATrustedPeer() {
        TrustedProxies p = TrustedProxies.of(List.of("127.0.0.1"));
        assertEquals("https://pacs.example.org", p.resolve("127.0.0.1", "http", "localhost:8080", 8080, n -> FORWARDED.get(n)).url());
        assertEquals("http://localhost:8080", p.resolve("203.0.113.9", "http", "localhost:8080", 8080, n -> FORWARDED.get(n)).url());
    }

    @Test
    void theClientAddressIsTheNearestHopThatIsNoTrustedProxyAndOnlyATrustedPeerIsAsked() {
        TrustedProxies p = TrustedProxies.of(List.of("10.0.0.0/8"));
        Map<String, List<String>> xff = Map.of("X-Forwarded-For", List.of("6.6.6.6, 198.51.100.20, 10.0.0.5"));
        assertEquals("198.51.100.20", p.clientAddress("10.0.0.1", n -> xff.get(n)), "read from the right past our proxies; the left is the client's to write");
        assertEquals("203.0.113.9", p.clientAddress("203.0.113.9", n -> xff.get(n)), "an untrusted peer is the client, whatever it sends");
        Map<String, List<String>> rfc7239 = Map.of("Forwarded", List.of("for=192.0.2.43;proto=https, for=\"[2001:db8::1]:4711\""),
                "X-Forwarded-For", List.of("198.51.100.20"));
        assertEquals("2001:db8:0:0:0:0:0:1", p.clientAddress("10.0.0.1", n -> rfc7239.get(n)), "Forwarded before X-Forwarded-For");
        Map<String, List<String>> obfuscated = Map.of("Forwarded", List.of("for=192.0.2.43, for=unknown, for=10.0.0.7"));
        assertEquals("10.0.0.7", p.clientAddress("10.0.0.1", n -> obfuscated.get(n)), "an unknown hop stops the walk at the proxy before it");
        assertEquals("10.0.0.1", p.clientAddress("10.0.0.1", n -> null), "no header: the peer");
    }
}
