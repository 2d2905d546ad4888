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

    /** The external base: from the forwarding headers when the peer is trusted, from the request alone otherwise. */
    public ExternalBase resolve(String peerAddress, String scheme, String hostHeader, int localPort,
                                Function<String, List<String>> headers) {
        return trusts(peerAddress) ? ForwardedHeaders.resolve(scheme, hostHeader, localPort, headers)
                : ForwardedHeaders.direct(scheme, hostHeader, localPort);
    }
}
