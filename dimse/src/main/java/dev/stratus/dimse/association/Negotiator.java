package dev.stratus.dimse.association;

import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.UidDictionary;
import dev.stratus.dimse.Authenticator;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.dimse.TenantPolicy;
import dev.stratus.dimse.pdu.AAssociateAc;
import dev.stratus.dimse.pdu.AAssociateRj;
import dev.stratus.dimse.pdu.AAssociateRq;
import dev.stratus.dimse.pdu.PresentationContextAc;
import dev.stratus.dimse.pdu.PresentationContextRq;
import dev.stratus.dimse.pdu.RoleSelection;
import dev.stratus.dimse.pdu.UserIdentity;
import dev.stratus.dimse.pdu.UserInformation;
import dev.stratus.dimse.service.AssociationInfo;
import dev.stratus.dimse.service.DimseServices;
import dev.stratus.dimse.service.PresentationContext;
import dev.stratus.dimse.tls.CertifiedPeer;
import dev.stratus.dimse.tls.TlsPeer;
import dev.stratus.index.TenantId;

import javax.net.ssl.SSLSession;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.stratus.dimse.pdu.AAssociateRj.*;

/**
 * Answers an A-ASSOCIATE-RQ (PS3.8 7.1, PS3.7 Annex D): checks the protocol version, application context,
 * AE titles, the client certificate (on the TLS port), tenant allow list and user identity, then accepts each presentation context whose abstract
 * syntax a service provides, with the first proposed transfer syntax it accepts, and agrees to the roles a
 * requestor proposes for a storage SOP class (a C-GET requestor takes the Storage SCP role).
 */
public final class Negotiator {
    private final DimseSettings settings;
    private final TenantPolicy tenants;
    private final Authenticator authenticator;
    private final DimseServices services;
    private final List<CertifiedPeer> peers;

    public Negotiator(DimseSettings settings, TenantPolicy tenants, Authenticator authenticator, DimseServices services) {
        this(settings, tenants, authenticator, services, List.of());
    }

    /** @param peers client certificates bound to tenants, matched on the TLS port */
    public Negotiator(DimseSettings settings, TenantPolicy tenants, Authenticator authenticator, DimseServices services, List<CertifiedPeer> peers) {
        this.settings = settings;
        this.tenants = tenants;
        this.authenticator = authenticator;
        this.services = services;
        this.peers = List.copyOf(peers);
    }

    public sealed interface Outcome {
        /** @param maxSendLength the largest P-DATA-TF variable field to send to this peer */
        record Accept(AAssociateAc ac, Map<Integer, PresentationContext> contexts, AssociationInfo info, int maxSendLength) implements Outcome {}

        /** @param why for the log */
        record Reject(AAssociateRj rj, String why) implements Outcome {}
    }

    /** Connections over a limit never get here: {@link Refusal} answers them without negotiating. */
    public Outcome negotiate(AAssociateRq rq, InetAddress remote) {
        return negotiate(rq, remote, null);
    }

    /** @param tls the session of the TLS port's handshake, or null on the plain port */
    public Outcome negotiate(AAssociateRq rq, InetAddress remote, SSLSession tls) {
        if ((rq.protocolVersion() & 1) == 0) {
            return reject(REJECTED_PERMANENT, SOURCE_SERVICE_PROVIDER_ACSE, PROTOCOL_VERSION_NOT_SUPPORTED, "protocol version " + rq.protocolVersion());
        }
        if (!AAssociateRq.DICOM_APPLICATION_CONTEXT.equals(rq.applicationContextName())) {
            return reject(REJECTED_PERMANENT, SOURCE_SERVICE_USER, APPLICATION_CONTEXT_NAME_NOT_SUPPORTED, "application context " + rq.applicationContextName());
        }
        if (!DimseSettings.isValidAeTitle(rq.calledAeTitle()) || !tenants.isKnownCalledAeTitle(rq.calledAeTitle())) {
            return reject(REJECTED_PERMANENT, SOURCE_SERVICE_USER, CALLED_AE_TITLE_NOT_RECOGNIZED, "called AE title '" + rq.calledAeTitle() + "'");
        }
        TlsPeer peer = tls == null ? null : TlsPeer.identify(tls, peers);
        if (peer != null && peer.refused() != null) {
            return reject(REJECTED_PERMANENT, SOURCE_SERVICE_USER, NO_REASON_GIVEN, peer.refused());
        }
        TenantId tenant = peer != null && peer.tenant() != null ? peer.tenant() : tenants.forCalledAeTitle(rq.calledAeTitle());
        if (!DimseSettings.isValidAeTitle(rq.callingAeTitle()) || !tenants.allows(tenant, rq.callingAeTitle())) {
            return reject(REJECTED_PERMANENT, SOURCE_SERVICE_USER, CALLING_AE_TITLE_NOT_RECOGNIZED,
                    "calling AE title '" + rq.callingAeTitle() + "' for tenant " + tenant);
        }
        if (peer != null && !peer.allowsCallingAeTitle(rq.callingAeTitle())) {
            return reject(REJECTED_PERMANENT, SOURCE_SERVICE_USER, CALLING_AE_TITLE_NOT_RECOGNIZED,
                    "calling AE title '" + rq.callingAeTitle() + "' for certificate " + peer.subject());
        }
        long peerMax = rq.userInformation().maxPduLength();
        if (peerMax > 0 && peerMax < 7) {
            return reject(REJECTED_PERMANENT, SOURCE_SERVICE_USER, NO_REASON_GIVEN, "peer's maximum PDU length " + peerMax + " cannot carry a PDV");
        }
        UserIdentity identity = rq.userInformation().userIdentity();
        Authenticator.Result auth;
        try {
            auth = authenticator.authenticate(new Authenticator.Request(rq.callingAeTitle(), rq.calledAeTitle(), remote, identity));
        } catch (RuntimeException e) {
            auth = Authenticator.Result.reject("authenticator failed: " + e); // fail closed
        }
        if (auth instanceof Authenticator.Result.Rejected r) {
            return reject(REJECTED_PERMANENT, SOURCE_SERVICE_USER, NO_REASON_GIVEN, "user identity not accepted: " + r.reason());
        }
        byte[] identityResponse = identity != null && identity.positiveResponseRequested()
                ? ((Authenticator.Result.Accepted) auth).serverResponse() : null;

        List<PresentationContextAc> answers = new ArrayList<>(rq.presentationContexts().size());
        Map<Integer, PresentationContext> accepted = new HashMap<>();
        Map<String, RoleSelection> roles = new LinkedHashMap<>();
        for (PresentationContextRq pc : rq.presentationContexts()) {
            if (!services.supports(pc.abstractSyntax())) {
                answers.add(new PresentationContextAc(pc.id(), PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED, null));
                continue;
            }
            TransferSyntax ts = services.choose(pc.abstractSyntax(), pc.transferSyntaxes());
            if (ts == null) {
                answers.add(new PresentationContextAc(pc.id(), PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED, null));
                continue;
            }
            answers.add(new PresentationContextAc(pc.id(), PresentationContextAc.ACCEPTANCE, ts.uid()));
            RoleSelection role = storageRole(rq.userInformation().roleSelection(pc.abstractSyntax()));
            if (role != null) roles.put(role.sopClassUid(), role);
            accepted.put(pc.id(), new PresentationContext(pc.id(), pc.abstractSyntax(), ts, role != null && role.scpRole()));
        }
        UserInformation ui = new UserInformation(settings.maxPduLength(), DicomWriter.IMPLEMENTATION_CLASS_UID,
                DicomWriter.IMPLEMENTATION_VERSION_NAME, null, identityResponse, List.copyOf(roles.values()));
        AAssociateAc ac = new AAssociateAc(1, rq.calledAeTitle(), rq.callingAeTitle(), AAssociateRq.DICOM_APPLICATION_CONTEXT, answers, ui);
        int maxSend = peerMax == 0 || peerMax == -1 || peerMax > settings.maxPduLength() ? settings.maxPduLength() : (int) peerMax;
        AssociationInfo info = new AssociationInfo(rq.callingAeTitle(), rq.calledAeTitle(), remote, tenant, identity, peer);
        return new Outcome.Accept(ac, Map.copyOf(accepted), info, maxSend);
    }

    /**
     * Our answer to a proposed role selection: for a storage SOP class we take whichever roles the requestor asks
     * (we are Storage SCP for C-STORE and Storage SCU for C-GET), so the proposal is agreed as it stands; for
     * other SOP classes the sub-item is not answered, which keeps the default roles (PS3.7 D.3.3.4).
     */
    private static RoleSelection storageRole(RoleSelection proposed) {
        if (proposed == null || !UidDictionary.isStorageSopClass(proposed.sopClassUid())) return null;
        return proposed;
    }

    private static Outcome reject(int result, int source, int reason, String why) {
        return new Outcome.Reject(new AAssociateRj(result, source, reason), why);
    }
}
