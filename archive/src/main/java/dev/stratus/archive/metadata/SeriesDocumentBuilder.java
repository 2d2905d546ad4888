package dev.stratus.archive.metadata;

import dev.stratus.index.SeriesRef;

import java.io.IOException;
import java.io.OutputStream;

/** Writes the WADO-RS series metadata document of a series (the exact JSON response body, with relative BulkDataURIs). */
@FunctionalInterface
public interface SeriesDocumentBuilder {
    void write(SeriesRef series, OutputStream out) throws IOException;
}
