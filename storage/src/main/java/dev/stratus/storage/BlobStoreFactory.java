package dev.stratus.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/** Opens the blob store a storage URL names: {@code file:DIR} here, {@code s3://BUCKET[/PREFIX]} through a provider. */
public final class BlobStoreFactory {
    private static final String FILE = "file:";

    private BlobStoreFactory() {}

    /** A storage URL for a local directory. */
    public static String fileUrl(Path dir) {
        return FILE + dir;
    }

    /** The directory a {@code file:} URL names ({@code file:DIR} or {@code file:///DIR}), or null for any other URL. */
    public static Path localDirectory(String url) {
        if (url == null || !url.startsWith(FILE)) return null;
        String rest = url.substring(FILE.length());
        if (rest.startsWith("//")) return Path.of(URI.create(url));
        if (rest.isEmpty()) throw new IllegalArgumentException("storage URL file: names no directory");
        return Path.of(rest);
    }

    /** @param s3 how to reach the object store of an s3:// URL (ignored for file:) */
    public static BlobStore open(String url, S3Options s3) throws IOException {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("no storage URL given");
        Path dir = localDirectory(url);
        if (dir != null) return new LocalBlobStore(dir);
        for (BlobStoreProvider p : java.util.ServiceLoader.load(BlobStoreProvider.class)) {
            if (p.accepts(url)) return p.open(url, s3);
        }
        if (url.startsWith("s3://")) {
            throw new UnsupportedOperationException("an s3:// storage URL needs stratus-storage-s3 on the class path (it is in the stratus executable)");
        }
        throw new IllegalArgumentException("unsupported storage URL (expected file:DIR or s3://BUCKET[/PREFIX]): " + url);
    }
}
