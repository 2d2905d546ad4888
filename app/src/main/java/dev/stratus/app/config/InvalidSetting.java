package dev.stratus.app.config;

/**
 * A value the configuration records refuse while they are bound; {@code key} is relative to the record that refuses
 * it (null: the value at hand), and the loader puts the path in front and the value's source after.
 */
final class InvalidSetting extends RuntimeException {
    final String key;

    InvalidSetting(String key, String problem) {
        super(problem, null, false, false);
        this.key = key;
    }
}
