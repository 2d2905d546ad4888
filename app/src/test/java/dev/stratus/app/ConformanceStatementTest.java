package dev.stratus.app;

import dev.stratus.archive.Archive;
import dev.stratus.archive.ingest.FailureReason;
import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.Tag;
import dev.stratus.dimse.message.Status;
import dev.stratus.index.TenantId;
import dev.stratus.index.query.InvalidQueryException;
import dev.stratus.index.query.Level;
import dev.stratus.index.query.QidoQuery;
import dev.stratus.index.query.QidoQueryParser;
import dev.stratus.web.stow.StowMediaTypes;
import dev.stratus.codec.SpecificCharacterSet;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.UidDictionary;
import dev.stratus.dimse.DimseServer;
import dev.stratus.dimse.DimseSettings;
import dev.stratus.dimse.service.DimseServices;
import dev.stratus.dimse.service.SopClass;
import dev.stratus.web.DicomWebServer;
import dev.stratus.web.WebSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/conformance.md says what the servers do: its checked tables (SOP classes, transfer syntaxes, DIMSE statuses,
 * DICOMweb routes, STOW-RS media types and failure reasons, query keys, character sets) hold exactly what the DIMSE
 * server accepts and answers, the DICOMweb server routes and accepts, the index matches and the codec reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceStatementTest {
    private static final Path DOC = Path.of("..", "docs", "conformance.md");
    private static final String DEFAULT_ROOT = "/dicomweb";
    private static final String ABSENT = "(absent)"; // how the doc writes the empty value of (0008,0005)

    private String doc;
    private Archive archive;
    private DimseServices dimse;
    private DicomWebServer web;

    @BeforeAll
    void openServers(@TempDir Path dir) throws IOException {
        doc = Files.readString(DOC);
        archive = Archive.open(Archive.Settings.in(dir.resolve("data")));
        dimse = new DimseServer(DimseSettings.defaults().withSpoolDir(dir.resolve("spool")), archive).services();
        web = new DicomWebServer(new WebSettings("127.0.0.1", 0, List.of(), t -> WebSettings.TenantOptions.DEFAULT),
                archive, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @AfterAll
    void close() throws IOException {
        if (web != null) web.close();
        if (archive != null) archive.close();
    }

    @Test
    void theServiceSopClassesAreExactlyTheNonStorageOnesTheDimseServerAccepts() {
        Map<String, List<String>> rows = rowsByUid(table("### Services"), "UID");
        Set<String> candidates = new TreeSet<>(rows.keySet());
        candidates.addAll(sopClassConstants());
        for (String uid : candidates) {
            boolean accepted = dimse.supports(uid) && !UidDictionary.isStorageSopClass(uid);
            boolean listed = rows.containsKey(uid);
            if (accepted && !listed) fail("add to ### Services: | " + UidDictionary.name(uid) + " | `" + uid + "` | yes | no |");
            if (!accepted && listed) fail("remove from ### Services (not accepted by the DIMSE server): " + rows.get(uid));
        }
    }

    @Test
    void theStorageAppendixListsExactlyTheStorageSopClassesAccepted() {
        Map<String, List<String>> rows = rowsByUid(table("## Appendix: storage SOP classes"), "UID");
        for (String uid : UidDictionary.storageSopClasses()) {
            if (dimse.supports(uid) && !rows.containsKey(uid)) {
                fail("add to the storage appendix: | " + UidDictionary.name(uid) + " | `" + uid + "` |");
            }
        }
        for (var row : rows.entrySet()) {
            String uid = row.getKey();
            if (!UidDictionary.isStorageSopClass(uid) || !dimse.supports(uid)) {
                fail("remove from the storage appendix (not a storage SOP class the DIMSE server accepts): " + row.getValue());
            }
        }
        assertTrue(rows.size() > 100, "the storage appendix was read: " + rows.size() + " rows");
    }

    @Test
    void theTransferSyntaxTableIsWhatStorageAndTheOtherServicesAccept() {
        Map<String, List<String>> rows = rowsByUid(table("## 3. Transfer syntaxes"), "UID");
        List<String> header = header(table("## 3. Transfer syntaxes"));
        int others = header.indexOf("also for the other services");
        String anyStorage = UidDictionary.storageSopClasses().stream().filter(dimse::supports).findFirst().orElseThrow();
        List<String> nonStorage = sopClassConstants().stream().filter(dimse::supports).toList();
        for (TransferSyntax ts : TransferSyntax.all()) {
            boolean storage = dimse.choose(anyStorage, List.of(ts.uid())) != null;
            List<String> row = rows.get(ts.uid());
            if (storage && row == null) fail("add to ## 3. Transfer syntaxes: | " + ts.name() + " | `" + ts.uid() + "` | ... |");
            if (!storage && row != null) fail("remove from ## 3. Transfer syntaxes (C-STORE refuses it): " + row);
            if (row == null) continue;
            for (String sopClass : nonStorage) {
                boolean accepted = dimse.choose(sopClass, List.of(ts.uid())) != null;
                assertEquals(accepted ? "yes" : "no", row.get(others),
                        "## 3. Transfer syntaxes, " + ts.name() + ": 'also for the other services' ("
                                + UidDictionary.name(sopClass) + (accepted ? " accepts it)" : " refuses it)"));
            }
        }
        for (String uid : rows.keySet()) {
            if (TransferSyntax.of(uid) == null) fail("remove from ## 3. Transfer syntaxes (unknown to the codec): " + rows.get(uid));
        }
    }

    @Test
    void theDicomWebTableListsEveryRouteOfTheDefaultTenant() {
        List<List<String>> table = table("## 5. DICOMweb");
        List<String> header = header(table);
        int method = header.indexOf("Method"), path = header.indexOf("Path");
        Set<String> documented = new LinkedHashSet<>();
        for (List<String> row : body(table)) documented.add(row.get(method) + " " + unquote(row.get(path)));
        Set<String> served = new LinkedHashSet<>();
        for (DicomWebServer.Route r : web.routes()) {
            if (r.path().equals(DEFAULT_ROOT) || r.path().startsWith(DEFAULT_ROOT + "/")) served.add(r.method() + " " + r.path());
        }
        for (String route : served) assertTrue(documented.contains(route), "add to ## 5. DICOMweb: " + route);
        for (String route : documented) assertTrue(served.contains(route), "remove from ## 5. DICOMweb (not routed): " + route);
    }

    @Test
    void theCharacterSetTableListsEveryValueTheCodecReads() {
        Set<String> documented = new TreeSet<>();
        for (List<String> row : body(table("## 7. Character sets"))) {
            String v = unquote(row.get(0));
            documented.add(v.equals(ABSENT) ? "" : v);
        }
        for (String term : SpecificCharacterSet.knownTerms()) {
            assertTrue(documented.contains(term), "add to ## 7. Character sets: | `" + (term.isEmpty() ? ABSENT : term) + "` | ... |");
        }
        for (String term : documented) {
            assertTrue(SpecificCharacterSet.of(term).isKnown(), "remove from ## 7. Character sets (the codec does not know it): " + term);
        }
    }

    @Test
    void theDimseStatusTableHoldsExactlyTheStatusesTheScpAnswers() {
        List<List<String>> table = table("## 4. DIMSE statuses");
        int c = header(table).indexOf("Status");
        Set<Integer> documented = new TreeSet<>();
        for (List<String> row : body(table)) documented.addAll(hexCodes(row.get(c)));
        Set<Integer> answered = new TreeSet<>(intConstants(Status.class).values());
        for (int code : answered) assertTrue(documented.contains(code), "add to ## 4. DIMSE statuses: " + hex(code) + " (" + nameOf(Status.class, code) + ")");
        for (int code : documented) assertTrue(answered.contains(code), "remove from ## 4. DIMSE statuses (no Status constant): " + hex(code));
    }

    @Test
    void theStowFailureReasonTableHoldsExactlyTheIngestFailureReasons() {
        List<List<String>> table = table("### 5.2 STOW-RS failure reasons");
        int c = header(table).indexOf("Code");
        Set<Integer> documented = new TreeSet<>();
        for (List<String> row : body(table)) documented.addAll(hexCodes(row.get(c)));
        Set<Integer> reasons = new TreeSet<>(intConstants(FailureReason.class).values());
        for (int code : reasons) assertTrue(documented.contains(code), "add to ### 5.2: " + hex(code) + " (" + nameOf(FailureReason.class, code) + ")");
        for (int code : documented) assertTrue(reasons.contains(code), "remove from ### 5.2 (no FailureReason constant): " + hex(code));
    }

    @Test
    void theStowMediaTypeTablesAreWhatTheStowHandlerAccepts() {
        Set<String> parts = new TreeSet<>();
        for (List<String> row : body(table("### 5.1 STOW-RS request media types"))) parts.add(unquote(row.get(0)));
        Set<String> accepted = new TreeSet<>(StowMediaTypes.BODY_TYPES);
        accepted.add(StowMediaTypes.UNCOMPRESSED_BULK_DATA);
        assertEquals(accepted, parts, "### 5.1: the part media types");
        Map<String, String> frames = new TreeMap<>();
        for (List<String> row : body(table("### 5.1 STOW-RS request media types", 1))) frames.put(unquote(row.get(0)), unquote(row.get(1)));
        assertEquals(new TreeMap<>(StowMediaTypes.COMPRESSED_PIXEL_DATA), frames, "### 5.1: the frame media types and their default syntaxes");
        for (var e : frames.entrySet()) {
            TransferSyntax ts = TransferSyntax.of(e.getValue());
            assertTrue(ts != null && ts.encapsulated() && e.getKey().equalsIgnoreCase(ts.mediaType()),
                    "### 5.1: " + e.getValue() + " is not a compressed syntax of " + e.getKey());
        }
    }

    /**
     * Each documented key is matched at its level (the index does not report it ignored), and every attribute of the
     * dictionary the index matches in an instance-level query (where every level's keys apply) is documented.
     */
    @Test
    void theQueryKeyTableListsExactlyTheKeysTheIndexMatches() throws IllegalAccessException {
        List<List<String>> table = table("## 6. Query keys and matching");
        int levelColumn = header(table).indexOf("Level"), attributeColumn = header(table).indexOf("Attribute");
        Set<Integer> documented = new TreeSet<>();
        for (List<String> row : body(table)) {
            Level level = Level.valueOf(row.get(levelColumn).toUpperCase(java.util.Locale.ROOT));
            for (String keyword : row.get(attributeColumn).split(",")) {
                int tag = DataDictionary.tagOf(keyword.strip());
                assertTrue(tag != -1 && tag != 0, "## 6: " + keyword + " is not a keyword");
                documented.add(tag);
                assertTrue(matched(level, tag), "## 6: the index does not match " + keyword + " at the " + level + " level");
            }
        }
        for (Field f : Tag.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) continue;
            int tag = f.getInt(null);
            if (!documented.contains(tag) && DataDictionary.keywordOf(tag).equals(f.getName()) && matched(Level.INSTANCE, tag)) {
                fail("add to ## 6. Query keys: " + f.getName() + " (the index matches it)");
            }
        }
    }

    /** Whether a QIDO query of {@code tag} with a value of its VR is matched, not reported as ignored. */
    private boolean matched(Level level, int tag) {
        String value = switch (DataDictionary.vrOf(tag)) {
            case DA -> "20200101";
            case TM -> "101010";
            case DT -> "20200101101010";
            case UI -> "1.2.3";
            case IS, US, UL, SS, SL, SV, UV, DS, FL, FD -> "1";
            case AE, AS, CS, LO, LT, PN, SH, ST, UC, UR, UT -> "X";
            default -> null; // sequences and binary values are not query keys
        };
        if (value == null) return false;
        try {
            QidoQuery q = QidoQueryParser.parse(level, null, null, Map.of(DataDictionary.keywordOf(tag), List.of(value)));
            return !archive.index().search(TenantId.DEFAULT, q).ignoredAttributes().contains(tag);
        } catch (InvalidQueryException e) {
            return false;
        }
    }

    private static List<Integer> hexCodes(String cell) {
        List<Integer> codes = new ArrayList<>();
        Matcher m = Pattern.compile("\\b([0-9A-F]{4})H\\b").matcher(cell);
        while (m.find()) codes.add(Integer.parseInt(m.group(1), 16));
        assertTrue(!codes.isEmpty(), "no status code (like A700H) in '" + cell + "'");
        return codes;
    }

    private static String hex(int code) {
        return String.format("%04XH", code);
    }

    /** The public static int constants of a class of codes, by name. */
    private static Map<String, Integer> intConstants(Class<?> codes) {
        Map<String, Integer> all = new TreeMap<>();
        for (Field f : codes.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                try {
                    all.put(f.getName(), f.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return all;
    }

    private static String nameOf(Class<?> codes, int code) {
        return intConstants(codes).entrySet().stream().filter(e -> e.getValue() == code).map(Map.Entry::getKey).findFirst().orElse("?");
    }

    /** The public UID constants of SopClass: the DIMSE module's own list of the non-storage classes it knows. */
    private static List<String> sopClassConstants() {
        List<String> uids = new ArrayList<>();
        for (Field f : SopClass.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    uids.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return uids;
    }

    /** The first Markdown table after the line starting with this heading: its header row, then its body rows. */
    private List<List<String>> table(String heading) {
        return table(heading, 0);
    }

    /** The table after the {@code skip} tables that follow the heading. */
    private List<List<String>> table(String heading, int skip) {
        List<String> lines = doc.lines().toList();
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith(heading)) i++;
        if (i == lines.size()) fail("docs/conformance.md has no heading " + heading);
        while (i < lines.size() && !lines.get(i).startsWith("|")) i++;
        for (int n = 0; n < skip; n++) {
            while (i < lines.size() && lines.get(i).startsWith("|")) i++;
            while (i < lines.size() && !lines.get(i).startsWith("|")) i++;
        }
        List<List<String>> rows = new ArrayList<>();
        for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            if (lines.get(i).startsWith("|---")) continue;
            List<String> cells = new ArrayList<>();
            String line = lines.get(i).strip();
            for (String c : line.substring(1, line.length() - 1).split("\\|", -1)) cells.add(c.strip());
            rows.add(cells);
        }
        if (rows.size() < 2) fail("the table under " + heading + " in docs/conformance.md is empty");
        return rows;
    }

    private static List<String> header(List<List<String>> table) { return table.getFirst(); }

    private static List<List<String>> body(List<List<String>> table) { return table.subList(1, table.size()); }

    /** Body rows keyed by the backquoted UID in the named column; a UID listed twice fails. */
    private static Map<String, List<String>> rowsByUid(List<List<String>> table, String column) {
        int c = header(table).indexOf(column);
        assertTrue(c >= 0, "no column " + column + " in " + header(table));
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (List<String> row : body(table)) {
            String uid = unquote(row.get(c));
            if (rows.put(uid, row) != null) fail(uid + " is listed twice in docs/conformance.md: " + row);
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.startsWith("`") && cell.endsWith("`") ? cell.substring(1, cell.length() - 1) : cell;
    }
}
