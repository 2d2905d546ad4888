package dev.stratus.storage.s3;

import dev.stratus.storage.BlobKey;

/**
 * Where in S3 the blobs are: a bucket and a key prefix, from a storage URL {@code s3://BUCKET[/PREFIX]}. The prefix
 * lets several archives (or an archive and other data) share a bucket; blob {@code k} is object {@code PREFIX/k}.
 */
public record S3Location(String bucket, String prefix) {
    /** S3's bucket naming rules, with upper case and underscores allowed for the S3-compatible services that take them. */
    private static final java.util.regex.Pattern BUCKET = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]");

    public S3Location {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("not an S3 bucket name (3 to 63 letters, digits, '.', '-'): " + bucket);
        }
        if (!prefix.isEmpty()) BlobKey.check(prefix);
    }

    /** Parses {@code s3://BUCKET[/PREFIX]}; a trailing slash is ignored. */
    public static S3Location parse(String url) {
        if (url == null || !url.startsWith("s3://")) throw new IllegalArgumentException("not an s3:// storage URL: " + url);
        String rest = url.substring("s3://".length());
        if (rest.contains("?") || rest.contains("#")) {
            throw new IllegalArgumentException("an s3:// storage URL takes no query or fragment (endpoint, region and path style are "
                    + "options of their own): " + url);
        }
        while (rest.endsWith("/")) rest = rest.substring(0, rest.length() - 1);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        try {
            return new S3Location(bucket, prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid storage URL " + url + ": " + e.getMessage(), e);
        }
    }

    /** The object key of blob {@code key}, which is checked first. */
    String objectKey(String key) {
        BlobKey.check(key);
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }

    /** The blob key of an object under the prefix, or null for an object that is not one of this store's blobs. */
    String blobKey(String objectKey) {
        String key = prefix.isEmpty() ? objectKey : objectKey.startsWith(prefix + "/") ? objectKey.substring(prefix.length() + 1) : null;
        if (key == null) return null;
        try {
            return BlobKey.check(key);
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }

    /** The object key prefix of a listing under blob prefix {@code prefix} ("" for every blob): whole segments only. */
    String listPrefix(String blobPrefix) {
        if (blobPrefix.isEmpty()) return prefix.isEmpty() ? "" : prefix + "/";
        return objectKey(blobPrefix) + "/";
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
