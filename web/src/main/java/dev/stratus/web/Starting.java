package dev.stratus.web;

import dev.stratus.archive.Archive;
import io.javalin.http.Context;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a server builds from the archive, built once the archive is there: {@code stratus serve} listens while the
 * archive opens (issue 20), and until then a request is answered 503 with Retry-After ({@link #answer}), never 500.
 */
final class Starting<T> {
    static final String MESSAGE = "starting: the archive is still opening, retry in a moment";
    private final Supplier<Archive> archive;
    private final Function<Archive, T> build;
    private volatile T built;

    /** @param archive null until the node is up */
    Starting(Supplier<Archive> archive, Function<Archive, T> build) {
        this.archive = archive;
        this.build = build;
    }

    /** What was built from the archive, or null while it is still opening. */
    T now() {
        T t = built;
        if (t != null) return t;
        Archive a = archive.get();
        if (a == null) return null;
        synchronized (this) {
            if (built == null) built = build.apply(a);
            return built;
        }
    }

    static void answer(Context ctx) {
        ctx.header("Retry-After", "1");
        ErrorResponses.send(ctx, 503, MESSAGE);
    }
}
