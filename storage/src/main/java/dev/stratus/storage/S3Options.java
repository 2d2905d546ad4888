package dev.stratus.storage;

import java.net.URI;

/**
 * How to reach an S3-compatible object store, for an {@code s3://} storage URL (the store itself is in
 * stratus-storage-s3). Credentials are not here: they come from the AWS SDK's default chain (environment,
 * system properties, profile files, container or instance roles).
 *
 * @param endpoint  the service's URL (http or https), or null for AWS S3 itself
 * @param region    the signing region, or null: the SDK's default chain, else us-east-1 when an endpoint is given
 * @param pathStyle address the bucket as a path ({@code endpoint/bucket/key}) rather than a host name
 *                  ({@code bucket.endpoint/key}); most self-hosted services (MinIO, Ceph) need it
 */
public record S3Options(URI endpoint, String region, boolean pathStyle) {
    public static final S3Options DEFAULT = new S3Options(null, null, false);

    public S3Options {
        if (endpoint != null) {
            String scheme = endpoint.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
                throw new IllegalArgumentException("S3 endpoint must be an http or https URL with a host: " + endpoint);
            }
        }
        if (region != null && !region.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("S3 region must be a name such as eu-central-1: " + region);
        }
    }
}
