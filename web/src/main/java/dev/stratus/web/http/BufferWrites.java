package dev.stratus.web.http;

import org.eclipse.jetty.ee10.servlet.HttpOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes a buffer to a response without copying it through the heap where the stream allows: Jetty's own output
 * takes a direct buffer as it is. A heap array handed to a socket is copied into a direct buffer again at every
 * partial write (all that is left of it each time): a 512 KB frame that a client drains 27 KB at a time was copied
 * about 5 MB over (docs/benchmarks.md, viewer pattern).
 */
public final class BufferWrites {
    private BufferWrites() {}

    /** Writes the buffer's remaining bytes; its position is at its limit afterwards. */
    public static void write(OutputStream out, ByteBuffer buffer) throws IOException {
        switch (out) {
            case MultipartRelatedWriter.PartBody part -> part.write(buffer);
            case HttpOutput jetty -> jetty.write(buffer);
            default -> {
                if (buffer.hasArray()) {
                    out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
                    buffer.position(buffer.limit());
                    return;
                }
                byte[] chunk = new byte[Math.min(buffer.remaining(), MultipartRelatedWriter.WRITE_SIZE)];
                while (buffer.hasRemaining()) {
                    int n = Math.min(chunk.length, buffer.remaining());
                    buffer.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        }
    }
}
