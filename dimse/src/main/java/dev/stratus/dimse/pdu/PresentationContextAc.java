package dev.stratus.dimse.pdu;

/** The answer to one proposed presentation context in an A-ASSOCIATE-AC (PS3.8 9.3.3.2, Table 9-18). */
public record PresentationContextAc(int id, int result, String transferSyntax) {
    public static final int ACCEPTANCE = 0;
    public static final int USER_REJECTION = 1;
    public static final int NO_REASON = 2;
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    public boolean accepted() { return result == ACCEPTANCE; }
}
