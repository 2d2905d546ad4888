package dev.stratus.dimse.pdu;

/**
 * A Presentation Data Value item (PS3.8 9.3.5.1, Annex E.2): a fragment of a command or data set on one
 * presentation context. The fragment is a slice of the PDU buffer, valid until the next PDU is read.
 *
 * @param command true for a command fragment, false for a data set fragment (message control header bit 0)
 * @param last    true for the last fragment of the command or data set (message control header bit 1)
 */
public record Pdv(int presentationContextId, boolean command, boolean last, byte[] buffer, int offset, int length) {
    public byte[] copy() {
        return java.util.Arrays.copyOfRange(buffer, offset, offset + length);
    }

    /** The message control header byte of PS3.8 E.2. */
    public int messageControlHeader() {
        return (command ? 1 : 0) | (last ? 2 : 0);
    }
}
