package dev.stratus.dimse.service;

import dev.stratus.dimse.pdu.UserIdentity;
import dev.stratus.index.TenantId;

import java.net.InetAddress;

/**
 * What is known of an established association.
 *
 * @param tenant the association's tenant (called AE title mapping, else the default); a request may name another
 * @param user   the authenticated User Identity, or null
 */
public record AssociationInfo(String callingAeTitle, String calledAeTitle, InetAddress remoteAddress, TenantId tenant, UserIdentity user) {}
