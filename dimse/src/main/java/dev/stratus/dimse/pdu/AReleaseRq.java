package dev.stratus.dimse.pdu;

/** A-RELEASE-RQ PDU (PS3.8 9.3.6): no parameters. */
public record AReleaseRq() implements Pdu {}
