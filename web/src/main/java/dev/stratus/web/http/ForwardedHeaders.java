package dev.stratus.web.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The external base URL of a request behind proxies: RFC 7239 {@code Forwarded} (first hop), else
 * {@code X-Forwarded-Proto/Host/Port}, else the request's own scheme and Host header; the path prefix
 * from {@code X-Forwarded-Prefix}. A value that fails validation (a host with spaces or slashes, an
 * unknown scheme, a port out of range) is ignored as if absent, since the result goes into URLs that
 * clients follow. Call {@link #resolve} only behind a proxy that sets these headers, {@link #direct}
 * otherwise: a client can send them too.
 */
public final class ForwardedHeaders {
    private ForwardedHeaders() {}

    /** A host with an optional port (-1 when absent). */
    record HostPort(String host, int port) {}

    /**
     * @param scheme the scheme the request arrived with (http or https)
     * @param hostHeader the request's Host header, may be null
     * @param localPort the port the request arrived on, used when the Host header is unusable
     * @param headers a request header's lines by case-insensitive name; empty or null when absent
     */
    public static ExternalBase resolve(String scheme, String hostHeader, int localPort,
                                       Function<String, List<String>> headers) {
        ExternalBase own = direct(scheme, hostHeader, localPort);
        String prefix = first(headers, "X-Forwarded-Prefix").map(ForwardedHeaders::prefix).orElse("");
        Optional<ExternalBase> forwarded = fromForwarded(own, prefix, headers.apply("Forwarded"));
        return forwarded.orElseGet(() -> fromXForwarded(own, prefix, headers));
    }

    /** The base from the request alone, for servers not behind a trusted proxy. */
    public static ExternalBase direct(String scheme, String hostHeader, int localPort) {
        String s = scheme(scheme).orElse("http");
        Optional<HostPort> hp = Optional.ofNullable(hostHeader).flatMap(ForwardedHeaders::hostPort);
        if (hp.isEmpty()) return new ExternalBase(s, "localhost", localPort, "");
        int port = hp.get().port() > 0 ? hp.get().port() : ExternalBase.defaultPort(s);
        return new ExternalBase(s, hp.get().host(), port, "");
    }

    /** The first element of the first Forwarded line, when it names a valid proto or host. */
    private static Optional<ExternalBase> fromForwarded(ExternalBase own, String prefix, List<String> lines) {
        if (lines == null || lines.isEmpty() || lines.getFirst() == null) return Optional.empty();
        List<MediaType.Parameter> pairs;
        try {
            pairs = new HeaderCursor(lines.getFirst(), "Forwarded header", true).parameters(false);
        } catch (MalformedHeaderException e) {
            return Optional.empty();
        }
        Optional<String> proto = pair(pairs, "proto").flatMap(ForwardedHeaders::scheme);
        Optional<HostPort> host = pair(pairs, "host").flatMap(ForwardedHeaders::hostPort);
        if (proto.isEmpty() && host.isEmpty()) return Optional.empty();
        String s = proto.orElse(own.scheme());
        if (host.isEmpty()) {
            // only the proto crossed the proxy: the Host header names the external host
            return Optional.of(new ExternalBase(s, own.host(), proto.isPresent() ? ExternalBase.defaultPort(s) : own.port(), prefix));
        }
        int port = host.get().port() > 0 ? host.get().port() : ExternalBase.defaultPort(s);
        return Optional.of(new ExternalBase(s, host.get().host(), port, prefix));
    }

    private static ExternalBase fromXForwarded(ExternalBase own, String prefix, Function<String, List<String>> headers) {
        Optional<String> proto = first(headers, "X-Forwarded-Proto").flatMap(ForwardedHeaders::scheme);
        Optional<HostPort> host = first(headers, "X-Forwarded-Host").flatMap(ForwardedHeaders::hostPort);
        Optional<Integer> xPort = first(headers, "X-Forwarded-Port").flatMap(ForwardedHeaders::port);
        String s = proto.orElse(own.scheme());
        String h = host.map(HostPort::host).orElse(own.host());
        int port;
        if (xPort.isPresent()) port = xPort.get();
        else if (host.isPresent()) port = host.get().port() > 0 ? host.get().port() : ExternalBase.defaultPort(s);
        else if (proto.isPresent()) port = ExternalBase.defaultPort(s);
        else port = own.port();
        return new ExternalBase(s, h, port, prefix);
    }

    private static Optional<String> pair(List<MediaType.Parameter> pairs, String name) {
        return pairs.stream().filter(p -> p.name().equals(name)).map(MediaType.Parameter::value).findFirst();
    }

    /** The first comma-separated value of a header: the hop nearest the client. */
    private static Optional<String> first(Function<String, List<String>> headers, String name) {
        List<String> lines = headers.apply(name);
        if (lines == null || lines.isEmpty() || lines.getFirst() == null) return Optional.empty();
        String v = lines.getFirst();
        int comma = v.indexOf(',');
        v = (comma >= 0 ? v.substring(0, comma) : v).strip();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<String> scheme(String s) {
        String lower = s.strip().toLowerCase(Locale.ROOT);
        return lower.equals("http") || lower.equals("https") ? Optional.of(lower) : Optional.empty();
    }

    private static Optional<Integer> port(String s) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) return Optional.empty();
        int p = Integer.parseInt(s);
        return p >= 1 && p <= 65535 ? Optional.of(p) : Optional.empty();
    }

    /** {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}, validated; host lower-cased. */
    static Optional<HostPort> hostPort(String value) {
        String v = value.strip();
        String host = v;
        String portText = null;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) return Optional.empty();
            host = v.substring(0, close + 1);
            String rest = v.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) return Optional.empty();
                portText = rest.substring(1);
            }
        } else {
            int colon = v.lastIndexOf(':');
            if (colon >= 0) {
                host = v.substring(0, colon);
                portText = v.substring(colon + 1);
            }
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (!isValidHost(h)) return Optional.empty();
        if (portText == null) return Optional.of(new HostPort(h, -1));
        return port(portText).map(p -> new HostPort(h, p));
    }

    /** A DNS name or IPv4 address (letters, digits, '-', '.', '_'), or a bracketed IPv6 address. */
    static boolean isValidHost(String host) {
        if (host.isEmpty() || host.length() > 255) return false;
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 4) return false;
            String inner = host.substring(1, host.length() - 1);
            return inner.indexOf(':') >= 0 && inner.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        if (host.startsWith(".") || host.startsWith("-")) return false;
        return host.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_'));
    }

    /** A path prefix of RFC 3986 segment characters; "" when invalid, so the URL stays well-formed. */
    static String prefix(String value) {
        String p = value.strip();
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return isValidPrefix(p) ? p : "";
    }

    static boolean isValidPrefix(String p) {
        if (!p.startsWith("/") || p.endsWith("/") || p.contains("//")) return false;
        for (String segment : p.substring(1).split("/", -1)) if (segment.equals(".") || segment.equals("..")) return false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '%') {
                if (i + 2 >= p.length() || Character.digit(p.charAt(i + 1), 16) < 0 || Character.digit(p.charAt(i + 2), 16) < 0) return false;
            } else if (!(c < 128 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0))) {
                return false;
            }
        }
        return true;
    }
}
