package dev.stratus.dimse.pdu;

import java.util.List;

/** P-DATA-TF PDU (PS3.8 9.3.5): one or more presentation data values. */
public record PDataTf(List<Pdv> pdvs) implements Pdu {}
