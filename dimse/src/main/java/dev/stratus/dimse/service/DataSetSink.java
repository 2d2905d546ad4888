package dev.stratus.dimse.service;

/**
 * Receives the data set fragments of one request as they arrive. A sink never throws on write: a failure
 * (disk full, too large) is recorded and the rest of the data set is discarded, so that the association
 * stays in step and the request is answered with a failure status.
 */
public interface DataSetSink extends AutoCloseable {
    void write(byte[] buffer, int offset, int length);

    /** Releases what the sink holds (deletes a spool file); called once the request was answered or abandoned. */
    @Override
    void close();

    /** A sink that drops everything: for data sets that will be refused anyway. */
    DataSetSink DISCARD = new DataSetSink() {
        @Override
        public void write(byte[] buffer, int offset, int length) {}

        @Override
        public void close() {}
    };
}
