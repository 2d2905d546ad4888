package dev.stratus.app.config;

/** A setting is malformed or unknown: start-up stops with this message. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
