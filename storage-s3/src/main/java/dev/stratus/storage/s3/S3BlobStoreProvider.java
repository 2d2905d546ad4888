package dev.stratus.storage.s3;

import dev.stratus.storage.BlobStore;
import dev.stratus.storage.BlobStoreProvider;
import dev.stratus.storage.S3Options;

/** Opens {@code s3://BUCKET[/PREFIX]} storage URLs for BlobStoreFactory. */
public final class S3BlobStoreProvider implements BlobStoreProvider {
    @Override
    public boolean accepts(String url) {
        return url.startsWith("s3://");
    }

    @Override
    public BlobStore open(String url, S3Options s3) {
        return S3BlobStore.open(S3Location.parse(url), s3 == null ? S3Options.DEFAULT : s3);
    }
}
