package dev.stratus.storage;

import java.io.IOException;

/** A BlobStore implemented in another module (S3), found through META-INF/services by {@link BlobStoreFactory}. */
public interface BlobStoreProvider {
    boolean accepts(String url);

    BlobStore open(String url, S3Options s3) throws IOException;
}
