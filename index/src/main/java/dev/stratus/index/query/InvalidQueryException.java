package dev.stratus.index.query;

/** A query parameter that is not understood: names the parameter and says what is wrong (HTTP 400). */
public class InvalidQueryException extends RuntimeException {
    private final String parameter;

    public InvalidQueryException(String parameter, String reason) {
        super("query parameter '" + parameter + "': " + reason);
        this.parameter = parameter;
    }

    public String parameter() { return parameter; }
}
