package dev.stratus.archive.ingest;

import dev.stratus.index.TenantId;
import dev.stratus.storage.BlobKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The ingest journal of versions whose embedded index was H2 (docs/decisions/0001, superseded by 0002): pages
 * listing the blobs of stores acknowledged before H2 had made their commit durable. Only read now, once, when
 * {@link LegacyH2Upgrade} moves such a data directory to SQLite.
 */
final class LegacyIngestJournal {
    static final String DIRECTORY = "ingest-journal";
    static final String HEADER = "stratus-ingest-journal 1";
    static final String SUFFIX = ".journal";

    /** One instance of a page: the blob to index again, and the size that proves it complete. */
    record Entry(TenantId tenant, String blobKey, long size) {}

    /** A page: its entries, or none when it was never completely written (its store was not acknowledged). */
    record Page(Path file, List<Entry> entries, boolean complete) {}

    private LegacyIngestJournal() {}

    /** The pages in {@code dir}, in the order they were written; none when there is no such directory. */
    static List<Page> read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(LegacyIngestJournal::isPage).sorted().toList();
        }
        List<Page> pages = new ArrayList<>(files.size());
        for (Path p : files) {
            List<Entry> entries = decode(Files.readAllBytes(p));
            pages.add(new Page(p, entries == null ? List.of() : entries, entries != null));
        }
        return pages;
    }

    // Pages are named by a 20-digit sequence number, so that their names sort in the order they were written.
    private static boolean isPage(Path p) {
        String name = p.getFileName().toString();
        if (!name.endsWith(SUFFIX)) return false;
        String digits = name.substring(0, name.length() - SUFFIX.length());
        return digits.length() == 20 && digits.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Header line, one "tenant size key" line per entry, then "end COUNT CRC32C" over everything before it. */
    static byte[] encode(List<Entry> entries) {
        StringBuilder body = new StringBuilder(HEADER).append('\n');
        for (Entry e : entries) body.append(e.tenant().name()).append(' ').append(e.size()).append(' ').append(e.blobKey()).append('\n');
        byte[] head = body.toString().getBytes(StandardCharsets.US_ASCII);
        CRC32C crc = new CRC32C();
        crc.update(head);
        byte[] end = ("end " + entries.size() + " " + Long.toHexString(crc.getValue()) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] page = new byte[head.length + end.length];
        System.arraycopy(head, 0, page, 0, head.length);
        System.arraycopy(end, 0, page, head.length, end.length);
        return page;
    }

    /** The entries of a complete page, or null for a torn or damaged one. Tenants and keys are checked again. */
    static List<Entry> decode(byte[] page) {
        String text = new String(page, StandardCharsets.US_ASCII);
        if (!text.endsWith("\n")) return null;
        int endLine = text.lastIndexOf('\n', text.length() - 2) + 1;
        String[] end = text.substring(endLine, text.length() - 1).split(" ");
        if (end.length != 3 || !end[0].equals("end")) return null;
        CRC32C crc = new CRC32C();
        crc.update(page, 0, endLine);
        if (!Long.toHexString(crc.getValue()).equals(end[2])) return null;
        String[] lines = text.substring(0, endLine).split("\n");
        if (!lines[0].equals(HEADER)) return null;
        List<Entry> entries = new ArrayList<>(lines.length - 1);
        try {
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split(" ");
                if (f.length != 3) return null;
                entries.add(new Entry(new TenantId(f[0]), BlobKey.check(f[2]), Long.parseLong(f[1])));
            }
            if (entries.size() != Integer.parseInt(end[1])) return null;
        } catch (IllegalArgumentException e) {
            return null;
        }
        return entries;
    }
}
