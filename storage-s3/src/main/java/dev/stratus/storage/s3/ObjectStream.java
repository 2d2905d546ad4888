package dev.stratus.storage.s3;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.IOException;
import java.io.InputStream;

/**
 * Bytes of one object, read through ranged GETs. The first GET fetches a window (a header parse that stops or skips
 * past the pixel data reads nothing more), the next one the rest of the range from where the reader is. A skip
 * beyond the bytes in flight drops that response (aborting its connection when much is left unread, which is cheaper
 * than reading it) and the next read starts a GET at the new position. Every GET after the first asks for the
 * object as the first one saw it (its ETag): a replaced object fails the read rather than mixing two versions.
 */
final class ObjectStream extends InputStream {
    /** Left unread in a response, at most this is read to keep its connection; more and the connection is aborted. */
    private static final long DRAIN_AT_MOST = 64 * 1024;

    private final S3BlobStore store;
    private final String key;
    private final String objectKey;
    /** Exclusive end the reader asked for; Long.MAX_VALUE: the object's end. */
    private final long limit;
    private long window;
    private long position;
    /** The object's size once a response said it, else Long.MAX_VALUE. */
    private long size = Long.MAX_VALUE;
    private String etag;
    private ResponseInputStream<GetObjectResponse> body;
    /** Exclusive end of the bytes {@link #body} holds. */
    private long bodyEnd;
    private boolean closed;

    /** Sends the first GET at once: an absent object is reported here, not at the first read. */
    ObjectStream(S3BlobStore store, String key, String objectKey, long offset, long limit, long window) throws IOException {
        this.store = store;
        this.key = key;
        this.objectKey = objectKey;
        this.limit = limit;
        this.window = window;
        this.position = offset;
        fetch();
    }

    private long end() {
        return Math.min(limit, size);
    }

    /** Starts a GET at {@link #position}: the window on the first one, then up to the limit. */
    private void fetch() throws IOException {
        long to = window > 0 && Long.MAX_VALUE - position > window ? Math.min(limit, position + window) : limit;
        window = 0;
        ResponseInputStream<GetObjectResponse> response = store.get(key, objectKey, position, to, etag);
        if (response == null) { // the range starts at or after the object's end
            size = Math.min(size, position);
            return;
        }
        GetObjectResponse r = response.response();
        etag = r.eTag();
        String range = r.contentRange(); // "bytes FIRST-LAST/SIZE"
        if (range != null && range.startsWith("bytes ") && range.indexOf('-') > 0 && range.indexOf('/') > 0) {
            long first = Long.parseLong(range.substring(6, range.indexOf('-')));
            long last = Long.parseLong(range.substring(range.indexOf('-') + 1, range.indexOf('/')));
            String total = range.substring(range.indexOf('/') + 1);
            if (first != position) {
                response.abort();
                throw new IOException("the object store answered bytes from " + first + " for a read of " + key + " from " + position);
            }
            bodyEnd = last + 1;
            if (!total.equals("*")) size = Long.parseLong(total);
        } else if (position == 0 && r.contentLength() != null) { // the whole object (a service that ignores ranges)
            bodyEnd = r.contentLength();
            size = bodyEnd;
        } else {
            response.abort();
            throw new IOException("the object store ignored the range of a read of " + key + " from " + position);
        }
        body = response;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (closed) throw new IOException("stream of " + key + " is closed");
        if (len == 0) return 0;
        while (position < end()) {
            if (body == null) {
                fetch();
                if (body == null) return -1;
            }
            int n;
            try {
                n = body.read(b, off, (int) Math.min(len, bodyEnd - position));
            } catch (SdkException e) {
                throw store.failure("read", key, e);
            }
            if (n > 0) {
                position += n;
                return n;
            }
            boolean early = position < bodyEnd;
            drop();
            if (early) throw new IOException("the object store's answer for " + key + " ended at " + position + ", before byte " + bodyEnd);
        }
        return -1;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0 || closed) return 0;
        long k = Math.min(n, Math.max(0, end() - position));
        if (k == 0) return 0;
        if (body != null && position + k <= bodyEnd && k <= DRAIN_AT_MOST) {
            body.skipNBytes(k); // close by: cheaper to read through than to open another request
        } else {
            drop();
        }
        position += k;
        return k;
    }

    /** Ends the response in flight: reading the rest if little is left (its connection is kept), else aborting it. */
    private void drop() {
        if (body == null) return;
        try {
            if (bodyEnd - position > DRAIN_AT_MOST) body.abort();
            body.close();
        } catch (IOException | RuntimeException e) {
            // the response is given up either way
        }
        body = null;
    }

    @Override
    public void close() {
        closed = true;
        drop();
    }
}
