package dev.stratus.web.http;

/**
 * Where clients reach this server: the base of RetrieveURL and BulkDataURI values. The host is a
 * name, an IPv4 address or a bracketed IPv6 address; the prefix is empty or starts with '/' and has
 * no trailing '/'. The parts are validated by {@link ForwardedHeaders}.
 */
public record ExternalBase(String scheme, String host, int port, String prefix) {
    public ExternalBase {
        if (!scheme.equals("http") && !scheme.equals("https")) throw new IllegalArgumentException("scheme " + scheme);
        if (!ForwardedHeaders.isValidHost(host)) throw new IllegalArgumentException("host " + host);
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port);
        if (!prefix.isEmpty() && !ForwardedHeaders.isValidPrefix(prefix)) throw new IllegalArgumentException("prefix " + prefix);
    }

    static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /** {@code host} or {@code host:port}, the port left out when it is the scheme's default. */
    public String authority() {
        return port == defaultPort(scheme) ? host : host + ":" + port;
    }

    /** {@code https://host[:port]/prefix}, without a trailing '/'. */
    public String url() {
        return scheme + "://" + authority() + prefix;
    }

    /** The URL of a path under this base; {@code path} starts with '/'. */
    public String resolve(String path) {
        return url() + path;
    }

    @Override
    public String toString() {
        return url();
    }
}
