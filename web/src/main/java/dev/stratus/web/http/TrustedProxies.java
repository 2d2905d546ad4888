package dev.stratus.web.http;

import org.eclipse.jetty.util.InetAddressPattern;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The proxies whose {@code Forwarded} and {@code X-Forwarded-*} headers are believed: addresses or CIDR ranges. From
 * any other peer those headers are ignored, since a client can send them to make the server write URLs of its choosing.
 * Empty (the default): believed from nobody.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

    private final List<String> entries;
    private final List<InetAddressPattern> patterns;

    private TrustedProxies(List<String> entries, List<InetAddressPattern> patterns) {
        this.entries = List.copyOf(entries);
        this.patterns = List.copyOf(patterns);
    }

    /** @param entries "10.0.0.0/8", "192.168.1.7", "fd00::/8"; no hostnames */
    public static TrustedProxies of(List<String> entries) {
        List<InetAddressPattern> patterns = new ArrayList<>();
        for (String e : entries) {
            String s = e == null ? "" : e.strip();
            int slash = s.indexOf('/');
            String address = slash < 0 ? s : s.substring(0, slash);
            String bits = slash < 0 ? null : s.substring(slash + 1);
            InetAddress literal;
            try {
                literal = InetAddress.ofLiteral(address); // a literal only: a hostname would be resolved, once, silently
            } catch (IllegalArgumentException ex) {
                throw notAnAddress(e);
            }
            int max = literal.getAddress().length * 8;
            if (bits != null && !(bits.matches("[0-9]{1,3}") && Integer.parseInt(bits) <= max)) throw notAnAddress(e);
            patterns.add(InetAddressPattern.from(s));
        }
        return new TrustedProxies(entries, patterns);
    }

    private static IllegalArgumentException notAnAddress(String entry) {
        return new IllegalArgumentException("trusted proxy '" + entry + "' is not an IP address or CIDR range (such as 10.0.0.0/8 or fd00::/8)");
    }

    public List<String> entries() { return entries; }

    public boolean trusts(String peerAddress) {
        if (patterns.isEmpty() || peerAddress == null) return false;
        InetAddress peer;
        try {
            peer = InetAddress.ofLiteral(peerAddress.startsWith("[") ? peerAddress.substring(1, peerAddress.length() - 1) : peerAddress);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (InetAddressPattern p : patterns) if (p.test(peer)) return true;
        return false;
    }

    /**
     * The client's address, for the audit trail: the peer's, or when the peer is a trusted proxy, the nearest address the
     * proxies forwarded for that is not itself a trusted proxy ({@code Forwarded: for=}, else {@code X-Forwarded-For},
     * read from the right, since a client can put anything on the left). Stops at a value that is no IP address
     * ({@code unknown}, an obfuscated name), answering the last proxy before it.
     */
    public String clientAddress(String peerAddress, Function<String, List<String>> headers) {
        if (!trusts(peerAddress)) return peerAddress;
        List<String> hops = forwardedFor(headers.apply("Forwarded"), true);
        if (hops.isEmpty()) hops = forwardedFor(headers.apply("X-Forwarded-For"), false);
        String client = peerAddress;
        for (int i = hops.size() - 1; i >= 0 && i >= hops.size() - MAX_HOPS; i--) {
            String hop = literal(hops.get(i));
            if (hop == null) break;
            client = hop;
            if (!trusts(hop)) break;
        }
        return client;
    }

    /** More hops than this are not looked at (a header of thousands of addresses costs no more than this many). */
    static final int MAX_HOPS = 16;

    /** The for= values of Forwarded elements, or the X-Forwarded-For list, in order, across all lines. */
    private static List<String> forwardedFor(List<String> lines, boolean rfc7239) {
        List<String> hops = new ArrayList<>();
        if (lines == null) return hops;
        for (String line : lines) {
            if (line == null) continue;
            for (String element : line.split(",")) {
                if (!rfc7239) {
                    hops.add(element.strip());
                    continue;
                }
                for (String pair : element.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("for")) hops.add(pair.substring(eq + 1).strip());
                }
            }
        }
        return hops;
    }

    /** An IP literal from a hop ("192.0.2.1", "192.0.2.1:4711", "\"[2001:db8::1]:4711\"", "2001:db8::1"), null when it is none. */
    private static String literal(String hop) {
        String h = hop.startsWith("\"") && hop.endsWith("\"") && hop.length() > 1 ? hop.substring(1, hop.length() - 1) : hop;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0) return null;
            h = h.substring(1, close);
        } else if (h.indexOf(':') >= 0 && h.indexOf(':') == h.lastIndexOf(':')) {
            h = h.substring(0, h.indexOf(':')); // IPv4 with a port
        }
        try {
            return InetAddress.ofLiteral(h).getHostAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The external base: from the forwarding headers when the peer is trusted, from the request alone otherwise. */
    public ExternalBase resolve(String peerAddress, String scheme, String hostHeader, int localPort,
                                Function<String, List<String>> headers) {
        return trusts(peerAddress) ? ForwardedHeaders.resolve(scheme, hostHeader, localPort, headers)
                : ForwardedHeaders.direct(scheme, hostHeader, localPort);
    }
}
