package dev.stratus.dimse.service;

import dev.stratus.dimse.pdu.UserIdentity;
import dev.stratus.dimse.tls.TlsPeer;
import dev.stratus.index.TenantId;

import java.net.InetAddress;

/**
 * What is known of an established association.
 *
 * @param tenant the association's tenant (the client certificate's, else the called AE title mapping, else the default); a
 *               request may name another unless a certificate bound it
 * @param user   the authenticated User Identity, or null
 * @param tls    who the TLS handshake authenticated, or null on the plain port
 */
public record AssociationInfo(String callingAeTitle, String calledAeTitle, InetAddress remoteAddress, TenantId tenant, UserIdentity user, TlsPeer tls) {
    public AssociationInfo(String callingAeTitle, String calledAeTitle, InetAddress remoteAddress, TenantId tenant, UserIdentity user) {
        this(callingAeTitle, calledAeTitle, remoteAddress, tenant, user, null);
    }

    /** The tenant a client certificate binds this association to, or null. */
    public TenantId certifiedTenant() {
        return tls == null ? null : tls.tenant();
    }
}
