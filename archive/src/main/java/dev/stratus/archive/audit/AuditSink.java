package dev.stratus.archive.audit;

import java.io.IOException;

/**
 * Where audit records go, one at a time, from the thread of their {@link AuditLog} outlet alone: a stream of JSON lines
 * (stdout, a file) or a message log (Kafka's access topic, given by the composition root).
 */
@FunctionalInterface
public interface AuditSink extends AutoCloseable {
    /** @param json the record as one JSON object, without line end */
    void write(AuditRecord record, byte[] json) throws IOException;

    /** After a batch: nothing written stays held back. */
    default void flush() throws IOException {}

    @Override
    default void close() throws IOException {}
}
