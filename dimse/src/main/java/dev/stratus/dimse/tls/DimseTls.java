package dev.stratus.dimse.tls;

import dev.stratus.archive.tls.PemIdentity;

import java.nio.file.Path;
import java.util.List;

/**
 * DICOM over TLS on a port of its own (PS3.15 B.9 to B.11, the BCP 195 TLS profiles: TLS 1.2 or 1.3, AEAD cipher
 * suites with forward secrecy), served by the same listener machinery as the plain port.
 *
 * @param bindAddress address the TLS port listens on
 * @param port        0 picks a free one
 * @param identity    our certificate chain and key (PEM), read again when the files change
 * @param clientAuth  whether a peer must, may or does not present a certificate
 * @param clientCa    PEM bundle of the certificate authorities whose client certificates are trusted; null with {@link ClientAuth#NONE}
 * @param peers       certificates bound to a tenant (and calling AE titles); when any is listed, a certificate matching none is refused
 */
public record DimseTls(String bindAddress, int port, PemIdentity identity, ClientAuth clientAuth, Path clientCa, List<CertifiedPeer> peers) {

    /** Client-certificate authentication (the TLS CertificateRequest): none, optional (a peer without one is served as on the plain port), required. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRED }

    public DimseTls {
        if (bindAddress == null || bindAddress.isBlank()) throw new IllegalArgumentException("dimse TLS bind address is empty");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("dimse TLS port " + port + " is not 0 to 65535");
        if (identity == null) throw new IllegalArgumentException("dimse TLS needs a certificate and its key");
        if (clientAuth == null) throw new IllegalArgumentException("dimse TLS client authentication is missing");
        if (clientAuth != ClientAuth.NONE && clientCa == null) {
            throw new IllegalArgumentException("dimse TLS client authentication " + clientAuth.name().toLowerCase(java.util.Locale.ROOT)
                    + " needs the CA bundle that issues the clients' certificates");
        }
        peers = peers == null ? List.of() : List.copyOf(peers);
        if (!peers.isEmpty() && clientAuth == ClientAuth.NONE) {
            throw new IllegalArgumentException("dimse TLS peers are known by their client certificates, which client authentication none never asks for");
        }
    }
}
