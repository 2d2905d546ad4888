package dev.stratus.dimse.service;

/** A C-FIND that cannot be carried out: its final status, Error Comment and, if known, the Offending Element. */
final class FindFailure extends Exception {
    final int status;
    final int offendingElement;

    FindFailure(int status, String comment, int offendingElement) {
        super(comment);
        this.status = status;
        this.offendingElement = offendingElement;
    }
}
