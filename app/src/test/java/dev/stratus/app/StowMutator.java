package dev.stratus.app;

import dev.stratus.app.ElementLayout.Span;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * STOW-RS request bodies derived from real DICOM files by mutation: bit flips, bytes inserted, deleted or
 * overwritten, truncations, element lengths and VRs corrupted, elements shuffled, duplicated or removed, UIDs,
 * texts and the transfer syntax replaced, deep and huge sequences inserted, and broken multipart framing
 * (boundaries missing or extra, bad part headers, wrong media types, bodies cut). Body {@code i} of a seed is
 * always the same bytes, whatever the count, so that one body can be generated again on its own.
 */
final class StowMutator {
    /** One request: where it goes, its Content-Type (null: none), its bytes, whether sent chunked, and what was done. */
    record Body(String path, String contentType, byte[] bytes, boolean chunked, String description) {}

    record Seed(String name, byte[] bytes) {}

    private static final String[] VRS = {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF",
            "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV"};
    private static final int[] UID_TAGS = {0x00080018, 0x0020000D, 0x0020000E, 0x00080016, 0x00020003, 0x00020002};
    private static final String[] UIDS = {"1.2.3\\4.5", "", "abc", "1.2.840.", "1.02.3", "1..2", "0", "\\", " 1.2.3", "1.2.3\0",
            "1.2." + "9".repeat(70), "1.2.3.4.5.6.7.8.9.0.1.2.3.4.5.6.7.8.9.0.1.2.3.4.5.6.7.8.9.0.1.2", "2.25.-1", "1.2.3\\\\"};
    private static final int[] TEXT_TAGS = {0x00100010, 0x00100020, 0x00080020, 0x00080030, 0x00080050, 0x00080060, 0x00080005,
            0x00081030, 0x00080090, 0x00100030, 0x00280008, 0x00200013, 0x00200011, 0x00280010, 0x00280100, 0x00080008, 0x0008103E};
    private static final String[] TEXTS = {"", "A".repeat(10_000), "\u001b$B\u001b(B", "ISO 2022 IR 87\\ISO 2022 IR 159", "ISO_IR 999",
            "GB18030", "ISO_IR 192", "20261399", "2026", "abcdefgh", "20200101-20210101", "*", "?", "%", "'; DROP TABLE instance;--",
            "\\\\\\", "9999999999999999999999", "-1", "1e400", "NaN", "=^^^^=", "Smith^John=\u5c71\u7530^\u592a\u90ce", "\0\0\0\0",
            "12:61:99", "1", "0", "65536"};
    private static final String[] TRANSFER_SYNTAXES = {ElementLayout.IMPLICIT, "1.2.840.10008.1.2.1", ElementLayout.BIG_ENDIAN,
            ElementLayout.DEFLATED, "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.90", "1.2.3.4", "",
            "1.2.840.10008.1.2.1\\1.2.840.10008.1.2", "not a uid"};

    private final List<Seed> seeds;
    private final long seed;

    StowMutator(List<Seed> seeds, long seed) {
        if (seeds.isEmpty()) throw new IllegalArgumentException("no seed files");
        this.seeds = seeds;
        this.seed = seed;
    }

    /** The .dcm files of a directory, smallest first. */
    static List<Seed> seedsIn(Path dir) throws java.io.IOException {
        List<Seed> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".dcm")).sorted().toList()) {
                found.add(new Seed(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        }
        return found;
    }

    Body body(int index) {
        Random r = new Random(seed ^ (0x9E3779B97F4A7C15L * (index + 1)));
        List<String> what = new ArrayList<>();
        int parts = r.nextInt(10) < 7 ? 1 : r.nextInt(10) < 8 ? 2 + r.nextInt(2) : 4 + r.nextInt(5);
        List<byte[]> bodies = new ArrayList<>();
        String study = null;
        for (int i = 0; i < parts; i++) {
            Seed s = seeds.get(r.nextInt(seeds.size()));
            List<String> done = new ArrayList<>();
            bodies.add(part(r, s, done));
            what.add("part " + (i + 1) + " from " + s.name() + (done.isEmpty() ? "" : ": " + String.join(", ", done)));
            if (study == null) study = studyOf(s.bytes());
        }
        String path = "/dicomweb/studies";
        int p = r.nextInt(100);
        if (p < 8) path += "/" + (study != null && r.nextBoolean() ? study : "1.2.3." + r.nextInt(1000));
        else if (p < 12) path = "/tenants/fuzz-" + r.nextInt(3) + "/dicomweb/studies";
        else if (p < 14) path += "/" + List.of("1.2.3%5C4.5", "%00", "..", "x".repeat(300)).get(r.nextInt(4));
        if (!path.equals("/dicomweb/studies")) what.add("path " + abbreviate(path));
        return framed(r, bodies, path, what);
    }

    // ------------------------------------------------------------------ one part

    private byte[] part(Random r, Seed s, List<String> done) {
        int kind = r.nextInt(100);
        if (kind < 5) {
            done.add("unchanged");
            return s.bytes();
        }
        if (kind < 8) {
            done.add("empty");
            return new byte[0];
        }
        if (kind < 11) {
            byte[] junk = new byte[1 + r.nextInt(4096)];
            r.nextBytes(junk);
            done.add("random bytes (" + junk.length + ")");
            return junk;
        }
        byte[] b = s.bytes();
        ElementLayout first = ElementLayout.of(b);
        if (first.transferSyntax.equals(ElementLayout.DEFLATED) && r.nextBoolean()) {
            byte[] inflated = inflate(b, first.dataSetAt);
            if (inflated != null) {
                byte[] mutated = mutate(r, inflated, done);
                done.add("inside the deflated data set");
                return concat(Arrays.copyOf(b, first.dataSetAt), deflate(mutated, r.nextInt(10)));
            }
        }
        return mutate(r, b, done);
    }

    /** One to four mutations, each on the layout of the bytes as the previous one left them. */
    private byte[] mutate(Random r, byte[] b, List<String> done) {
        int n = 1 + (r.nextInt(3) == 0 ? r.nextInt(4) : 0);
        for (int i = 0; i < n; i++) b = mutateOnce(r, b, done);
        return b;
    }

    private byte[] mutateOnce(Random r, byte[] b, List<String> done) {
        ElementLayout l = ElementLayout.of(b);
        int pick = r.nextInt(100);
        if (pick < 13) return bitFlips(r, b, l, done);
        if (pick < 23) return byteRun(r, b, l, done);
        if (pick < 30) {
            int at = r.nextInt(Math.max(1, b.length));
            done.add("truncated at " + at + " of " + b.length);
            return Arrays.copyOf(b, at);
        }
        if (pick < 44) return corruptLength(r, b, l, done);
        if (pick < 51) return corruptVr(r, b, l, done);
        if (pick < 56) return shuffle(r, b, l, done);
        if (pick < 61) return duplicate(r, b, l, done);
        if (pick < 64) return remove(r, b, l, done);
        if (pick < 68) return deepSequence(r, b, l, done);
        if (pick < 72) return manyItems(r, b, l, done);
        if (pick < 80) return replaceValue(r, b, l, UID_TAGS, UIDS, true, done);
        if (pick < 86) return replaceValue(r, b, l, TEXT_TAGS, TEXTS, false, done);
        if (pick < 91) return replaceValue(r, b, l, new int[] {0x00020010}, TRANSFER_SYNTAXES, false, done);
        if (pick < 94 && l.dataSetAt > 0 && l.dataSetAt <= b.length) {
            done.add("File Meta Information removed (bare data set)");
            return Arrays.copyOfRange(b, l.dataSetAt, b.length);
        }
        if (pick < 96 && b.length >= 132) {
            done.add("'DICM' prefix damaged");
            byte[] c = b.clone();
            c[128 + r.nextInt(4)] ^= (byte) (1 + r.nextInt(255));
            return c;
        }
        return bitFlips(r, b, l, done);
    }

    /** An offset, two times in three within the header (before Pixel Data), where mutations matter most. */
    private static int offset(Random r, byte[] b, ElementLayout l) {
        if (b.length == 0) return 0;
        Span pixels = l.find(0x7FE00010);
        int header = pixels == null ? b.length : Math.max(1, pixels.start() + 16);
        return r.nextInt(3) < 2 ? r.nextInt(Math.min(header, b.length)) : r.nextInt(b.length);
    }

    private static byte[] bitFlips(Random r, byte[] b, ElementLayout l, List<String> done) {
        if (b.length == 0) return b;
        byte[] c = b.clone();
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) c[offset(r, c, l)] ^= (byte) (1 << r.nextInt(8));
        done.add(n + " bit flips");
        return c;
    }

    private static byte[] byteRun(Random r, byte[] b, ElementLayout l, List<String> done) {
        int at = offset(r, b, l);
        switch (r.nextInt(3)) {
            case 0 -> {
                byte[] ins = new byte[1 + r.nextInt(32)];
                r.nextBytes(ins);
                done.add(ins.length + " bytes inserted at " + at);
                return splice(b, at, at, ins);
            }
            case 1 -> {
                int len = Math.min(b.length - at, 1 + r.nextInt(64));
                done.add(len + " bytes deleted at " + at);
                return splice(b, at, at + len, new byte[0]);
            }
            default -> {
                long[] interesting = {0xFFFFFFFFL, 0, 0x7FFFFFFFL, 0x80000000L, 0xE000FFFEL, 0xE0DDFFFEL, 0xE00DFFFEL, 0x0000FFFFL};
                long v = interesting[r.nextInt(interesting.length)];
                byte[] four = {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
                int len = Math.min(4, b.length - at);
                done.add(String.format("0x%08X written at %d", v, at));
                return splice(b, at, at + len, Arrays.copyOf(four, len));
            }
        }
    }

    private static byte[] corruptLength(Random r, byte[] b, ElementLayout l, List<String> done) {
        if (l.spans.isEmpty()) return bitFlips(r, b, l, done);
        Span s = l.spans.get(r.nextInt(l.spans.size()));
        long old = s.length() < 0 ? 0xFFFFFFFFL : s.length();
        long v;
        if (s.lengthSize() == 2) {
            long[] choices = {0xFFFF, 0xFFFE, old + 1, Math.max(0, old - 1), 0, r.nextInt(0x10000), old | 1};
            v = choices[r.nextInt(choices.length)] & 0xFFFF;
        } else {
            long[] choices = {0xFFFFFFFFL, 0xFFFFFFFEL, 0x7FFFFFFFL, 0x80000000L, r.nextInt() & 0xFFFFFFFFL, old + 1,
                    Math.max(0, old - 1), old * 2, 0, b.length - s.valueAt() + 1L, old + 1 + r.nextInt(64), old | 1};
            v = choices[r.nextInt(choices.length)] & 0xFFFFFFFFL;
        }
        done.add(String.format("length of %s := 0x%X (was 0x%X)", name(s), v, old));
        byte[] c = b.clone();
        boolean be = l.bigEndian && !s.meta();
        for (int i = 0; i < s.lengthSize(); i++) {
            int shift = 8 * (be ? s.lengthSize() - 1 - i : i);
            c[s.lengthAt() + i] = (byte) (v >> shift);
        }
        return c;
    }

    private static byte[] corruptVr(Random r, byte[] b, ElementLayout l, List<String> done) {
        List<Span> explicit = l.spans.stream().filter(s -> s.vrAt() >= 0).toList();
        if (explicit.isEmpty()) return bitFlips(r, b, l, done);
        Span s = explicit.get(r.nextInt(explicit.size()));
        byte[] vr = switch (r.nextInt(5)) {
            case 0, 1 -> VRS[r.nextInt(VRS.length)].getBytes(StandardCharsets.US_ASCII);
            case 2 -> new byte[] {(byte) ('A' + r.nextInt(26)), (byte) ('A' + r.nextInt(26))};
            case 3 -> new byte[] {(byte) r.nextInt(256), (byte) r.nextInt(256)};
            default -> new byte[] {0, 0};
        };
        done.add("VR of " + name(s) + " := " + printable(vr));
        return splice(b, s.vrAt(), s.vrAt() + 2, vr);
    }

    /** Two elements of the same item (or of the top level) swap places, or one moves before another. */
    private static byte[] shuffle(Random r, byte[] b, ElementLayout l, List<String> done) {
        List<Span> candidates = l.spans.stream().filter(s -> !s.isItemOrDelimiter() && s.end() <= b.length).toList();
        if (candidates.size() < 2) return bitFlips(r, b, l, done);
        Span a = candidates.get(r.nextInt(candidates.size()));
        List<Span> siblings = candidates.stream().filter(s -> s.parent() == a.parent() && s.meta() == a.meta() && s != a).toList();
        if (siblings.isEmpty()) return bitFlips(r, b, l, done);
        Span c = siblings.get(r.nextInt(siblings.size()));
        Span first = a.start() < c.start() ? a : c, second = first == a ? c : a;
        if (first.end() > second.start()) return bitFlips(r, b, l, done);
        done.add(name(first) + " and " + name(second) + " swapped");
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        out.write(b, 0, first.start());
        out.write(b, second.start(), second.end() - second.start());
        out.write(b, first.end(), second.start() - first.end());
        out.write(b, first.start(), first.end() - first.start());
        out.write(b, second.end(), b.length - second.end());
        return out.toByteArray();
    }

    private static byte[] duplicate(Random r, byte[] b, ElementLayout l, List<String> done) {
        List<Span> candidates = l.spans.stream().filter(s -> s.end() <= b.length && s.end() > s.start()).toList();
        if (candidates.isEmpty()) return bitFlips(r, b, l, done);
        Span s = candidates.get(r.nextInt(candidates.size()));
        int size = s.end() - s.start();
        int copies = r.nextInt(4) == 0 ? Math.max(1, Math.min(100_000, (2 << 20) / size)) : 1 + r.nextInt(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + copies * size);
        out.write(b, 0, s.end());
        for (int i = 0; i < copies; i++) out.write(b, s.start(), size);
        out.write(b, s.end(), b.length - s.end());
        done.add(name(s) + " repeated " + copies + " times");
        return out.toByteArray();
    }

    private static byte[] remove(Random r, byte[] b, ElementLayout l, List<String> done) {
        List<Span> candidates = l.spans.stream().filter(s -> s.end() <= b.length).toList();
        if (candidates.isEmpty()) return bitFlips(r, b, l, done);
        Span s = candidates.get(r.nextInt(candidates.size()));
        done.add(name(s) + " removed");
        return splice(b, s.start(), s.end(), new byte[0]);
    }

    /** Sequences nested {@code depth} deep, of undefined or defined lengths, or never closed. */
    private static byte[] deepSequence(Random r, byte[] b, ElementLayout l, List<String> done) {
        int[] depths = {2, 10, 63, 64, 65, 200, 1_000, 10_000};
        int depth = depths[r.nextInt(depths.length)];
        int style = r.nextInt(3); // 0 undefined lengths, 1 defined lengths, 2 undefined and never closed
        ByteArrayOutputStream seq = new ByteArrayOutputStream();
        int sqHeader = l.explicit ? 12 : 8, level = sqHeader + 8;
        for (int k = 0; k < depth; k++) {
            long total = (long) level * (depth - k);
            writeHeader(seq, l, 0x0040A730, "SQ", style == 1 ? total - sqHeader : 0xFFFFFFFFL);
            writeItemHeader(seq, l, ElementLayout.ITEM, style == 1 ? total - level : 0xFFFFFFFFL);
        }
        if (style == 0) {
            for (int k = 0; k < depth; k++) {
                writeItemHeader(seq, l, ElementLayout.ITEM_DELIMITER, 0);
                writeItemHeader(seq, l, ElementLayout.SEQUENCE_DELIMITER, 0);
            }
        }
        int at = insertionPoint(r, b, l);
        done.add("sequence nested " + depth + " deep at " + at + List.of(" (undefined lengths)", " (defined lengths)", " (never closed)").get(style));
        return splice(b, at, at, seq.toByteArray());
    }

    /** A sequence of many items, empty or each holding one short element. */
    private static byte[] manyItems(Random r, byte[] b, ElementLayout l, List<String> done) {
        int[] counts = {10, 1_000, 1_000, 50_000, 50_000, 300_000};
        int n = r.nextInt(20) == 0 ? 1_000_001 : counts[r.nextInt(counts.length)]; // over the budget now and then: a second each
        boolean filled = r.nextInt(4) == 0 && n <= 300_000;
        ByteArrayOutputStream seq = new ByteArrayOutputStream();
        writeHeader(seq, l, 0x00081115, "SQ", 0xFFFFFFFFL);
        for (int i = 0; i < n; i++) {
            if (filled) {
                writeItemHeader(seq, l, ElementLayout.ITEM, 10); // the SH element: an 8-byte header either way, 2 bytes of value
                writeHeader(seq, l, 0x00080100, "SH", 2);
                seq.writeBytes(new byte[] {'X', ' '});
            } else {
                writeItemHeader(seq, l, ElementLayout.ITEM, 0);
            }
        }
        writeItemHeader(seq, l, ElementLayout.SEQUENCE_DELIMITER, 0);
        int at = insertionPoint(r, b, l);
        done.add("sequence of " + n + (filled ? " one-element" : " empty") + " items at " + at);
        return splice(b, at, at, seq.toByteArray());
    }

    /** Between two top-level elements of the data set, or at its start. */
    private static int insertionPoint(Random r, byte[] b, ElementLayout l) {
        List<Span> top = l.topLevel().stream().filter(s -> s.end() <= b.length).toList();
        if (top.isEmpty()) return Math.min(l.dataSetAt, b.length);
        return top.get(r.nextInt(top.size())).end();
    }

    /** Replaces the value of one of {@code tags} present, its length field adjusted (a parent's length is not). */
    private static byte[] replaceValue(Random r, byte[] b, ElementLayout l, int[] tags, String[] values, boolean orFreshUid,
                                       List<String> done) {
        List<Span> present = new ArrayList<>();
        for (Span s : l.spans) {
            if (s.length() < 0 || s.end() > b.length) continue;
            for (int t : tags) if (s.tag() == t) present.add(s);
        }
        if (present.isEmpty()) return bitFlips(r, b, l, done);
        Span s = present.get(r.nextInt(present.size()));
        String text = orFreshUid && r.nextInt(4) == 0 ? "2.25." + Long.toUnsignedString(r.nextLong()) : values[r.nextInt(values.length)];
        byte[] v = text.getBytes(StandardCharsets.UTF_8);
        if (s.lengthSize() == 2 && v.length > 0xFFFE) v = Arrays.copyOf(v, 0xFFFE);
        if (v.length % 2 == 1 && r.nextInt(4) != 0) v = Arrays.copyOf(v, v.length + 1); // padded, mostly
        done.add(name(s) + " := '" + abbreviate(printable(v)) + "'");
        byte[] c = splice(b, s.valueAt(), s.end(), v);
        boolean be = l.bigEndian && !s.meta();
        for (int i = 0; i < s.lengthSize(); i++) {
            int shift = 8 * (be ? s.lengthSize() - 1 - i : i);
            c[s.lengthAt() + i] = (byte) ((long) v.length >> shift);
        }
        return c;
    }

    // ------------------------------------------------------------------ framing

    private Body framed(Random r, List<byte[]> parts, String path, List<String> what) {
        String boundary = switch (r.nextInt(3)) {
            case 0 -> "stratus-fuzz";
            case 1 -> "b";
            default -> randomToken(r, 1 + r.nextInt(70));
        };
        String contentType = "multipart/related; type=\"application/dicom\"; boundary=" + (r.nextBoolean() ? "\"" + boundary + "\"" : boundary);
        boolean chunked = r.nextInt(5) == 0;
        int framing = r.nextInt(100) < 30 ? r.nextInt(15) : -1;
        String eol = framing == 0 ? "\n" : "\r\n";
        int badPart = r.nextInt(parts.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (framing == 1) write(out, "This is the preamble, to be ignored." + eol);
        for (int i = 0; i < parts.size(); i++) {
            if (!(framing == 2 && i == 0)) write(out, (i == 0 ? "" : eol) + "--" + boundary + (framing == 3 ? " \t " : "") + eol);
            if (framing == 4 && i == badPart) write(out, badHeader(r) + eol);
            else write(out, "Content-Type: application/dicom" + eol);
            if (!(framing == 5 && i == badPart)) write(out, eol);
            byte[] body = parts.get(i);
            if (framing == 6 && i == badPart && body.length > 0) {
                int at = r.nextInt(body.length);
                body = splice(body, at, at, (eol + "--" + boundary + eol).getBytes(StandardCharsets.ISO_8859_1));
            }
            out.writeBytes(body);
            if (framing == 7 && i == badPart) write(out, eol + "--" + boundary + eol + eol + eol + "--" + boundary + eol + "Content-Type: application/dicom" + eol + eol);
        }
        if (framing == 8) { // over stow.maxParts one time in ten: a few seconds each
            int n = r.nextInt(10) == 0 ? 10_001 + r.nextInt(100) : 1 + r.nextInt(50);
            what.add("framing: " + n + " empty parts at the end");
            for (int i = 0; i < n; i++) write(out, eol + "--" + boundary + eol + eol);
        }
        if (framing != 9) write(out, eol + "--" + boundary + "--" + eol);
        if (framing == 10) write(out, "epilogue: " + "z".repeat(r.nextInt(5000)) + eol + "--" + boundary + eol);
        byte[] bytes = out.toByteArray();
        if (framing == 11 && bytes.length > 0) bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length));
        if (framing == 12) contentType = badContentType(r, boundary);
        if (framing == 13 && parts.size() > 0) {
            String t = List.of("application/json", "text/plain", "a/b/c", "", "application/dicom+xml", "APPLICATION/DICOM",
                    "application/dicom; transfer-syntax=1.2.3.4", ";;;").get(r.nextInt(8));
            bytes = replaceFirst(bytes, "Content-Type: application/dicom" + eol, "Content-Type: " + t + eol);
            what.add("part Content-Type '" + t + "'");
        }
        if (framing == 14) contentType = contentType.replace("multipart/related", List.of("multipart/mixed", "multipart/related;", "MULTIPART/RELATED").get(r.nextInt(3)));
        if (framing >= 0 && framing != 13 && framing != 8) {
            what.add("framing: " + List.of("LF line ends", "preamble", "no first boundary", "transport padding", "bad part header",
                    "no empty line after part headers", "boundary inside a part", "extra empty parts", "",
                    "no close delimiter", "epilogue with a boundary", "body cut at random", "bad request Content-Type",
                    "", "other multipart type").get(framing));
        }
        if (contentType == null || !contentType.startsWith("multipart/related; type=\"application/dicom\"; boundary")) {
            what.add("Content-Type " + (contentType == null ? "missing" : "'" + abbreviate(contentType) + "'"));
        }
        if (chunked) what.add("chunked");
        return new Body(path, contentType, bytes, chunked, String.join("; ", what));
    }

    private static String badHeader(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> "Content-Type application/dicom";
            case 1 -> "Content Type: application/dicom";
            case 2 -> " continuation: first";
            case 3 -> "X-Long: " + "a".repeat(17_000);
            case 4 -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 40; i++) {
                    char c = (char) r.nextInt(256);
                    sb.append(c == '\r' || c == '\n' ? 'x' : c);
                }
                yield sb.toString();
            }
            case 5 -> "Content-Type: ;;;";
            case 6 -> "Content-Type: application/dicom; charset=\"unterminated";
            case 7 -> "Content-Type: application/dicom\r\nContent-Length: " + List.of("-5", "abc", "99999999999999999999", "0", "10").get(r.nextInt(5));
            case 8 -> "Content-Type: application/dicom\r\n" + "X-N: v\r\n".repeat(300);
            case 9 -> "Content-Type: application/dicom; transfer-syntax=1.2.840.10008.1.2.4.50";
            case 10 -> "Content-Type: application/dicom\r\nContent-Location: " + "/x".repeat(1000);
            default -> ": no name";
        };
    }

    private static String badContentType(Random r, String boundary) {
        return switch (r.nextInt(14)) {
            case 0 -> null;
            case 1 -> "text/plain";
            case 2 -> "application/dicom";
            case 3 -> "multipart/related";
            case 4 -> "multipart/related; type=\"application/dicom\"; boundary=other-" + boundary;
            case 5 -> "multipart/related; type=\"application/json\"; boundary=" + boundary;
            case 6 -> "multipart/related; type=application/dicom; boundary=\"" + boundary;
            case 7 -> "multipart/related; boundary=" + "x".repeat(300);
            case 8 -> "multipart/related;;;; boundary=" + boundary;
            case 9 -> "multipart/related; type=\"application/dicom\"; boundary=" + boundary + "; boundary=second";
            case 10 -> "multipart/related; type=\"application/dicom\"; boundary=\"\"";
            case 11 -> "multipart/related; type=; boundary=" + boundary;
            case 12 -> "*/*";
            default -> "multipart/related; type=\"application/dicom\"; boundary=" + boundary + "; start=\"<x>\"; start-info=\"\\\"";
        };
    }

    // ------------------------------------------------------------------ bytes

    private static void writeHeader(ByteArrayOutputStream out, ElementLayout l, int tag, String vr, long length) {
        writeTag(out, l, tag);
        if (l.explicit) {
            out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
            if (ElementLayout.longForm(vr)) {
                out.write(0);
                out.write(0);
                writeNumber(out, l, length, 4);
            } else {
                writeNumber(out, l, length, 2);
            }
        } else {
            writeNumber(out, l, length, 4);
        }
    }

    private static void writeItemHeader(ByteArrayOutputStream out, ElementLayout l, int tag, long length) {
        writeTag(out, l, tag);
        writeNumber(out, l, length, 4);
    }

    private static void writeTag(ByteArrayOutputStream out, ElementLayout l, int tag) {
        writeNumber(out, l, tag >>> 16, 2);
        writeNumber(out, l, tag & 0xFFFF, 2);
    }

    private static void writeNumber(ByteArrayOutputStream out, ElementLayout l, long v, int size) {
        for (int i = 0; i < size; i++) out.write((int) (v >> (8 * (l.bigEndian ? size - 1 - i : i))));
    }

    static byte[] splice(byte[] b, int from, int to, byte[] replacement) {
        from = Math.max(0, Math.min(from, b.length));
        to = Math.max(from, Math.min(to, b.length));
        byte[] c = new byte[b.length - (to - from) + replacement.length];
        System.arraycopy(b, 0, c, 0, from);
        System.arraycopy(replacement, 0, c, from, replacement.length);
        System.arraycopy(b, to, c, from + replacement.length, b.length - to);
        return c;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return splice(a, a.length, a.length, b);
    }

    private static byte[] replaceFirst(byte[] b, String what, String with) {
        String text = new String(b, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(what);
        return at < 0 ? b : splice(b, at, at + what.length(), with.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] inflate(byte[] b, int from) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(b, from, b.length - from);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            while (!inflater.finished() && out.size() < (64 << 20)) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static byte[] deflate(byte[] b, int level) {
        Deflater deflater = new Deflater(level, true);
        try {
            deflater.setInput(b);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            while (!deflater.finished()) out.write(buf, 0, deflater.deflate(buf));
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** The Study Instance UID of a seed file, for a request URL naming its study. */
    private static String studyOf(byte[] b) {
        ElementLayout l = ElementLayout.of(b);
        Span s = l.find(0x0020000D);
        if (s == null || s.length() <= 0 || s.end() > b.length) return null;
        String uid = new String(b, s.valueAt(), (int) s.length(), StandardCharsets.ISO_8859_1).replace("\0", "").strip();
        return uid.matches("[0-9.]{1,64}") ? uid : null;
    }

    private static String randomToken(Random r, int length) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) sb.append(chars.charAt(r.nextInt(chars.length())));
        return sb.toString();
    }

    private static String name(Span s) {
        String kind = switch (s.tag()) {
            case ElementLayout.ITEM -> "item";
            case ElementLayout.ITEM_DELIMITER -> "item delimiter";
            case ElementLayout.SEQUENCE_DELIMITER -> "sequence delimiter";
            default -> "element";
        };
        return String.format("%s (%04X,%04X) at %d", kind, s.tag() >>> 16, s.tag() & 0xFFFF, s.start());
    }

    private static String printable(byte[] v) {
        StringBuilder sb = new StringBuilder();
        for (byte x : v) {
            int c = x & 0xFF;
            if (c >= ' ' && c < 127) sb.append((char) c);
            else sb.append(String.format("\\x%02X", c));
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "... (" + s.length() + " chars)" : s;
    }
}
