package dev.stratus.archive.audit;

import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit trail's writer: JSON lines appended to its sink; a stalled sink costs dropped records, never a waiting request. */
class AuditLogTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String line) {
        return JsonMapper.builder().enable(tools.jackson.databind.DeserializationFeature.USE_LONG_FOR_INTS).build().readValue(line, Map.class);
    }

    private static AuditRecord record(int status) {
        return new AuditRecord(Instant.parse("2026-12-07T10:00:00Z"), "user-1", "viewer", "default", "retrieve", "READ",
                "1.2.3", null, null, status, "192.0.2.1", null);
    }

    @Test
    void aFileSinkIsAppendedToOneJsonObjectALine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit/access.jsonl");
        try (AuditLog log = AuditLog.open("file:" + file, 10)) {
            log.record(record(200));
        }
        try (AuditLog again = AuditLog.open("file:" + file, 10)) {
            again.record(record(403));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size(), "a restart appends: " + lines);
        Map<String, Object> first = parse(lines.get(0));
        assertEquals(Map.ofEntries(Map.entry("time", "2026-12-07T10:00:00Z"), Map.entry("subject", "user-1"), Map.entry("client", "viewer"),
                Map.entry("tenant", "default"), Map.entry("action", "retrieve"), Map.entry("capability", "READ"), Map.entry("study", "1.2.3"),
                Map.entry("status", 200L), Map.entry("outcome", "success"), Map.entry("address", "192.0.2.1")), first);
        assertEquals("denied", parse(lines.get(1)).get("outcome"));
    }

    @Test
    void whenTheSinkStallsRecordsBeyondTheQueueAreDroppedAndTheNextLineCountsThem() throws Exception {
        CountDownLatch writing = new CountDownLatch(1), release = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream stalling = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.write(b, off, len);
            }
        };
        AuditLog log = AuditLog.lines("test", stalling, 1);
        log.record(record(200));
        writing.await(); // the writer holds the first record, stuck in the sink
        for (int i = 0; i < 99; i++) log.record(record(201)); // returns at once: one queued, 98 dropped
        assertEquals(98, log.dropped());
        release.countDown();
        log.close();
        List<String> lines = written.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertFalse(parse(lines.get(0)).containsKey("dropped"));
        assertEquals(98L, ((Number) parse(lines.get(1)).get("dropped")).longValue(), "the gap is in the trail itself");
    }

    @Test
    void aSecondSinkGetsEveryRecordAndAStalledOneHoldsUpNoOther() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> copied = new java.util.concurrent.CopyOnWriteArrayList<>();
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        AuditLog log = AuditLog.lines("file", lines, 10).and("kafka", (record, json) -> {
            try {
                release.await(); // a broker that does not answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            copied.add(record.tenant() + " " + new String(json, StandardCharsets.UTF_8));
        }, 10);
        assertEquals(List.of("file", "kafka"), log.sinks());
        log.record(record(200));
        log.record(record(404));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lines.toString(StandardCharsets.UTF_8).lines().count() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(2, lines.toString(StandardCharsets.UTF_8).lines().count(), "the file has both records while the other sink is stuck");
        release.countDown();
        log.close();
        assertEquals(2, copied.size(), copied.toString());
        assertTrue(copied.getFirst().startsWith("default {\"time\":\"2026-12-07T10:00:00Z\""), copied.getFirst());
    }

    @Test
    void aStoreListsItsStudiesUpToAHundredAndCountsTheRest() throws Exception {
        List<String> studies = new java.util.ArrayList<>();
        for (int i = 0; i < 150; i++) {
            studies.add("1.2." + i);
            studies.add("1.2." + i); // two instances each
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AuditLog log = AuditLog.lines("test", out, 10)) {
            log.record(new AuditRecord(Instant.EPOCH, null, null, "default", "store", "WRITE", null, null, null, 200, "192.0.2.1",
                    AuditRecord.Stored.of(studies)));
        }
        Map<String, Object> line = parse(out.toString(StandardCharsets.UTF_8).strip());
        assertEquals(300L, line.get("stored"));
        assertEquals(studies.stream().distinct().limit(100).toList(), line.get("storedStudies"));
        assertEquals(50L, line.get("storedStudiesOmitted"));
    }

    @Test
    void sinksAreOffStdoutOrAFile() throws Exception {
        assertFalse(AuditLog.open("off", 10).enabled());
        try (AuditLog out = AuditLog.open("stdout", 10)) {
            assertTrue(out.enabled());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditLog.open("syslog", 10));
        assertEquals("the audit sink must be off, stdout or file:PATH, not 'syslog'", e.getMessage());
    }
}
