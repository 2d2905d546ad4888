package dev.stratus.dimse.pdu;

import java.util.List;

/** A presentation context proposed in an A-ASSOCIATE-RQ (PS3.8 9.3.2.2): one abstract syntax, transfer syntaxes in order of preference. */
public record PresentationContextRq(int id, String abstractSyntax, List<String> transferSyntaxes) {}
