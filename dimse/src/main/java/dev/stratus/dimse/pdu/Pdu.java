package dev.stratus.dimse.pdu;

/** One Protocol Data Unit of the DICOM Upper Layer (PS3.8 9.3). */
public sealed interface Pdu permits AAssociateRq, AAssociateAc, AAssociateRj, PDataTf, AReleaseRq, AReleaseRp, AAbort {}
