package dev.stratus.dimse.service;

import dev.stratus.codec.TransferSyntax;

/** An accepted presentation context (PS3.8 7.1.1.13): its ID, abstract syntax and the one transfer syntax agreed. */
public record PresentationContext(int id, String abstractSyntax, TransferSyntax transferSyntax) {}
