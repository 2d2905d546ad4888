package dev.stratus.dimse.tls;

import dev.stratus.index.TenantId;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The peer of an association on the DICOM TLS port, as its handshake proved it.
 *
 * @param subject   its certificate's subject (RFC 2253), or null when it presented none (client authentication optional)
 * @param certified the {@code dimse.tls.peers} entries its certificate matched (all of one tenant); empty: none
 * @param refused   why the association must be rejected (a certificate matching no entry, or several tenants), or null
 */
public record TlsPeer(String subject, List<CertifiedPeer> certified, String refused) {

    public TlsPeer {
        certified = List.copyOf(certified);
    }

    /** The tenant the certificate binds the association to, or null: the AE title rules decide, as on the plain port. */
    public TenantId tenant() {
        return certified.isEmpty() ? null : certified.getFirst().tenant();
    }

    /** Whether a matched entry lets this certificate call as {@code callingAeTitle} (true when none matched: the AE title rules decide). */
    public boolean allowsCallingAeTitle(String callingAeTitle) {
        return certified.isEmpty() || certified.stream().anyMatch(p -> p.allowsCallingAeTitle(callingAeTitle));
    }

    /** Who the handshake of {@code session} authenticated, matched against {@code peers}. */
    public static TlsPeer identify(SSLSession session, List<CertifiedPeer> peers) {
        X509Certificate leaf;
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate x)) return new TlsPeer(null, List.of(), null);
            leaf = x;
        } catch (SSLPeerUnverifiedException e) {
            return new TlsPeer(null, List.of(), null); // no certificate (client authentication optional)
        }
        String subject = leaf.getSubjectX500Principal().getName();
        if (peers.isEmpty()) return new TlsPeer(subject, List.of(), null);
        List<CertifiedPeer> matched = peers.stream().filter(p -> p.matches(leaf)).toList();
        if (matched.isEmpty()) return new TlsPeer(subject, List.of(), "certificate " + subject + " matches no dimse.tls.peers entry");
        if (matched.stream().map(CertifiedPeer::tenant).distinct().count() > 1) {
            return new TlsPeer(subject, List.of(), "certificate " + subject + " matches entries of different tenants: "
                    + matched.stream().map(CertifiedPeer::name).toList());
        }
        return new TlsPeer(subject, matched, null);
    }
}
