package dev.stratus.dimse.pdu;

import java.util.List;

/** A-ASSOCIATE-RQ PDU (PS3.8 9.3.2). AE titles are given without their space padding. */
public record AAssociateRq(int protocolVersion, String calledAeTitle, String callingAeTitle, String applicationContextName,
                           List<PresentationContextRq> presentationContexts, UserInformation userInformation) implements Pdu {
    /** The DICOM Application Context Name (PS3.7 A.2.1). */
    public static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
}
