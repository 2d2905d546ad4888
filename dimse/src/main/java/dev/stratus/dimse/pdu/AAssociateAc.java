package dev.stratus.dimse.pdu;

import java.util.List;

/** A-ASSOCIATE-AC PDU (PS3.8 9.3.3); the AE title fields echo the request's. */
public record AAssociateAc(int protocolVersion, String calledAeTitle, String callingAeTitle, String applicationContextName,
                           List<PresentationContextAc> presentationContexts, UserInformation userInformation) implements Pdu {}
