package dev.stratus.dimse.pdu;

/** A-RELEASE-RP PDU (PS3.8 9.3.7): no parameters. */
public record AReleaseRp() implements Pdu {}
