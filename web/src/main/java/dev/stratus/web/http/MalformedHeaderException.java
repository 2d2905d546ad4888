package dev.stratus.web.http;

/** A request header that does not follow its grammar; handlers answer 400 with the message. */
public class MalformedHeaderException extends IllegalArgumentException {
    public MalformedHeaderException(String message) {
        super(message);
    }
}
