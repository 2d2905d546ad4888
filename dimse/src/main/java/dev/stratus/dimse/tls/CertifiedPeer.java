package dev.stratus.dimse.tls;

import dev.stratus.index.TenantId;

import javax.security.auth.x500.X500Principal;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A peer known by its client certificate, bound to a tenant: its associations store into and query that tenant
 * whatever AE title they call and whatever tenant a request names in (1211,1217), and only from the calling AE
 * titles listed (none listed: any).
 *
 * @param name            the entry's name, for messages
 * @param subject         the certificate's subject must be this distinguished name (compared in canonical form); null: any
 * @param san             one of the certificate's subject alternative names (DNS name, IP address, e-mail, URI) must be this; null: any
 * @param callingAeTitles empty: any
 */
public record CertifiedPeer(String name, X500Principal subject, String san, TenantId tenant, Set<String> callingAeTitles) {
    /** SubjectAltName GeneralName tags (RFC 5280 4.2.1.6) compared: rfc822Name, dNSName, uniformResourceIdentifier, iPAddress. */
    private static final Set<Integer> NAME_TYPES = Set.of(1, 2, 6, 7);

    public CertifiedPeer {
        if (subject == null && san == null) throw new IllegalArgumentException("dimse TLS peer " + name + " names neither a subject nor a subject alternative name");
        if (tenant == null) throw new IllegalArgumentException("dimse TLS peer " + name + " names no tenant");
        callingAeTitles = callingAeTitles == null ? Set.of() : Set.copyOf(callingAeTitles);
    }

    public boolean matches(X509Certificate certificate) {
        if (subject != null && !subject.equals(certificate.getSubjectX500Principal())) return false;
        return san == null || alternativeNames(certificate).contains(san.toLowerCase(Locale.ROOT));
    }

    public boolean allowsCallingAeTitle(String callingAeTitle) {
        return callingAeTitles.isEmpty() || callingAeTitles.contains(callingAeTitle);
    }

    /** The certificate's subject alternative names of the compared kinds, in lower case (DNS names are case-insensitive). */
    static List<String> alternativeNames(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of(); // a damaged extension names nothing
        }
        List<String> out = new ArrayList<>();
        if (names != null) {
            for (List<?> n : names) {
                if (n.size() == 2 && n.get(0) instanceof Integer type && NAME_TYPES.contains(type) && n.get(1) instanceof String value) {
                    out.add(value.toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }
}
