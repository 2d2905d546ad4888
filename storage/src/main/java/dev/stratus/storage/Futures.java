package dev.stratus.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for background file work, with its failure as the IOException it was. */
public final class Futures {
    private Futures() {}

    /** Waits for {@code work}; an IOException or Error it threw is rethrown as is, anything else wrapped with {@code what}. */
    public static void await(Future<?> work, String what) throws IOException {
        try {
            work.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof Error error) throw error; // an OutOfMemoryError stays one, for the liveness to see
            throw new IOException("could not " + what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to " + what);
        }
    }

    /**
     * The result of {@code work} done for a caller that waits on it (a blob read ahead, a header rendered): whatever
     * it threw is rethrown as is (an IOException, an unchecked exception, an Error), anything else checked wrapped.
     */
    public static <T> T result(Future<T> work, String what) throws IOException {
        try {
            return work.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error error -> throw error;
                default -> throw new IOException("could not " + what, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to " + what);
        }
    }
}
