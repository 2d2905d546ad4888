package dev.stratus.web;

/** A request that cannot be served as sent: the status and what was wrong, in words. */
public class HttpProblem extends RuntimeException {
    private final int status;

    public HttpProblem(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() { return status; }

    public static HttpProblem badRequest(String message) { return new HttpProblem(400, message); }

    public static HttpProblem unsupportedMediaType(String message) { return new HttpProblem(415, message); }

    public static HttpProblem notAcceptable(String message) { return new HttpProblem(406, message); }
}
