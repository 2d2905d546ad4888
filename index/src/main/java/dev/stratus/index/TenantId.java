package dev.stratus.index;

import java.util.regex.Pattern;

/** A tenant's name: 1 to 64 characters of [A-Za-z0-9._-], never "." or "..", safe in URLs, keys and paths. */
public record TenantId(String name) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final TenantId DEFAULT = new TenantId("default");

    public TenantId {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid tenant name: must be 1 to 64 characters of A-Z a-z 0-9 . _ - (and not . or ..)");
        }
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    @Override
    public String toString() { return name; }
}
