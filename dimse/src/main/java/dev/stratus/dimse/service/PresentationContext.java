package dev.stratus.dimse.service;

import dev.stratus.codec.TransferSyntax;

/**
 * An accepted presentation context (PS3.8 7.1.1.13): its ID, abstract syntax and the one transfer syntax agreed.
 *
 * @param peerIsScp the requestor took the SCP role for this SOP class (PS3.7 D.3.3.4), so that we may invoke
 *                  operations on it over this association: the C-STORE sub-operations of a C-GET
 */
public record PresentationContext(int id, String abstractSyntax, TransferSyntax transferSyntax, boolean peerIsScp) {
    public PresentationContext(int id, String abstractSyntax, TransferSyntax transferSyntax) {
        this(id, abstractSyntax, transferSyntax, false);
    }
}
