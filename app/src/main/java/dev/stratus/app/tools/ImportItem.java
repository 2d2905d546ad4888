package dev.stratus.app.tools;

import java.io.IOException;
import java.io.InputStream;

/**
 * One object offered for import: a file, or an entry of a zip archive. It is opened once to probe its header and
 * again to send it, so nothing of it is held in memory between the two.
 *
 * @param name where it came from, as the summary names it (a path, or ARCHIVE.zip!ENTRY)
 * @param size its length in bytes (uncompressed, for a zip entry)
 */
record ImportItem(String name, long size, Opener opener) {
    interface Opener {
        InputStream open() throws IOException;
    }

    InputStream open() throws IOException {
        return opener.open();
    }
}
