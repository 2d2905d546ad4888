package dev.stratus.loadtest;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.DicomWriter;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.codec.VR;
import dev.stratus.codec.ValueElement;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.stratus.index.ScaleArchive.date;
import static dev.stratus.index.ScaleArchive.mix;
import static dev.stratus.index.ScaleArchive.set;

/**
 * The load test's data: patients, studies, series and instances, all derived from the indices alone, so
 * two runs (and the two servers of one run) get byte-identical files without keeping them around.
 *
 * <p>Shape: {@code studies} studies of {@code seriesPerStudy} series; the instances are spread evenly over
 * the series (the first {@code instances % series} series get one more). About 1.5 studies per patient,
 * names from a list where about one in five surnames is non-ASCII (Latin-1, Latin Extended, Cyrillic,
 * Greek, CJK; all files are ISO_IR 192, UTF-8). Study dates spread over 2010-2024, one modality per study
 * (CT 50%, MR 30%, CR 20%). Each instance is the CT header of the codec benchmarks ({@link Samples#ctHeader()}: 140-odd
 * attributes, seven sequences, a private block) with its identity, dates, modality and geometry
 * replaced, then {@code rows x columns} 16-bit pixels, written in Explicit VR Little Endian.
 */
public final class Corpus {
    static final String ROOT = "1.2.826.0.1.3680043.10.1234.77.";
    private static final LocalDate FIRST_DAY = LocalDate.of(2010, 1, 1);
    private static final int DAYS = (int) (LocalDate.of(2024, 12, 31).toEpochDay() - FIRST_DAY.toEpochDay()) + 1;

    static final String[] SURNAMES = {
        "SMITH", "M\u00dcLLER", "JOHNSON", "GARC\u00cdA", "WILLIAMS", "BROWN", "SCHMIDT", "JONES", "DUBOIS",
        "\u00d8STERGAARD", "MILLER", "DAVIS", "ROSSI", "N\u00da\u00d1EZ", "WILSON", "MOORE", "TAYLOR",
        "\u0418\u0412\u0410\u041d\u041e\u0412\u0410", "ANDERSON", "THOMAS", "JACKSON", "WHITE", "HARRIS",
        "DVO\u0158\u00c1K", "MARTIN", "THOMPSON", "MARTINEZ", "ROBINSON", "CLARK", "\u5c71\u7530", "LEWIS",
        "LEE", "WALKER", "HALL", "ALLEN", "\u00c5BERG", "YOUNG", "KING", "WRIGHT",
        "\u03a0\u0391\u03a0\u0391\u0394\u039f\u03a0\u039f\u03a5\u039b\u039f\u03a3",
    };
    static final String[] GIVEN = {
        "JAMES", "MARY", "JOHN", "PATRICIA", "ROBERT", "JENNIFER", "MICHAEL", "LINDA", "WILLIAM", "ELIZABETH",
        "DAVID", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "J\u00dcRGEN", "SARAH", "FRAN\u00c7OIS", "KAREN",
        "THOMAS", "NANCY", "CHRISTOPHER", "LISA", "DANIEL", "BETTY", "MATTHEW", "HELEN", "ANTHONY", "SANDRA",
        "MARK", "DONNA", "REN\u00c9E", "CAROL", "PAUL", "RUTH", "STEVEN", "SHARON", "ANDREW", "MICHELLE",
    };

    public enum Modality {
        CT("1.2.840.10008.5.1.4.1.1.2", "CHEST", "CT THORAX ABDOMEN WITH CONTRAST", "Thorax 1.0 Br40"),
        MR("1.2.840.10008.5.1.4.1.1.4", "BRAIN", "MR HEAD WITHOUT CONTRAST", "t2_tse_tra"),
        CR("1.2.840.10008.5.1.4.1.1.1", "CHEST", "XR CHEST 2 VIEWS", "PA");

        final String sopClass, bodyPart, studyDescription, seriesDescription;

        Modality(String sopClass, String bodyPart, String studyDescription, String seriesDescription) {
            this.sopClass = sopClass;
            this.bodyPart = bodyPart;
            this.studyDescription = studyDescription;
            this.seriesDescription = seriesDescription;
        }
    }

    public record Patient(int index, String id, String name, String birthDate, String sex) {}

    public record Study(int index, Patient patient, String uid, String date, String time, String accession, Modality modality) {}

    /** A series and where its instances sit in the corpus order: [{@code first}, {@code first + count}). */
    public record Series(Study study, int number, String uid, long first, int count) {}

    /** One instance's identity (the file comes from {@link #file}). */
    public record Instance(Series series, int number, String uid) {}

    private final int studies, seriesPerStudy, rows, columns, patients;
    private final long instances;
    private final int tag;
    private static final int PIXEL_CACHE = 64;
    /** Pixel Data of the first slices, shared by every series (the writer only reads it). */
    private final java.util.concurrent.ConcurrentHashMap<Integer, byte[]> pixelCache = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param tag a number that keeps this corpus's UIDs and IDs apart from another's (the warm-up corpus)
     */
    public Corpus(int tag, long instances, int studies, int seriesPerStudy, int rows, int columns) {
        if (instances < 1 || studies < 1 || seriesPerStudy < 1) throw new IllegalArgumentException("instances, studies and series per study must be positive");
        if ((long) studies * seriesPerStudy > instances) {
            throw new IllegalArgumentException(studies + " studies x " + seriesPerStudy + " series need at least as many instances, not " + instances);
        }
        if (rows < 1 || columns < 1 || rows > 4096 || columns > 4096) throw new IllegalArgumentException("image size must be 1..4096");
        this.tag = tag;
        this.instances = instances;
        this.studies = studies;
        this.seriesPerStudy = seriesPerStudy;
        this.rows = rows;
        this.columns = columns;
        this.patients = Math.max(1, (int) Math.round(studies / 1.5));
    }

    public long instances() { return instances; }

    public int studies() { return studies; }

    public int seriesCount() { return studies * seriesPerStudy; }

    public int patients() { return patients; }

    public int rows() { return rows; }

    public int columns() { return columns; }

    /**
     * The corpus sent before the measured one (untimed, to warm the servers up, and deleted again before the
     * timed store): shaped and filled like the default corpus (4 series of about 10 instances per study,
     * patients with non-ASCII names, CT, MR and CR), so that it runs the branches the measured corpus will,
     * with UIDs and IDs of its own.
     */
    public static Corpus warmUp(long instances, int rows, int columns) {
        int series = (int) Math.min(4, instances);
        int studies = (int) Math.max(1, Math.min(instances / series, Math.round(instances / (series * 10.0))));
        return new Corpus(9, instances, studies, series, rows, columns);
    }

    public Patient patient(int p) {
        String surname = SURNAMES[p % SURNAMES.length];
        String given = GIVEN[(p / SURNAMES.length + p) % GIVEN.length];
        int h = mix(p * 7919 + 13);
        LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(Math.floorMod(h, 365 * 75));
        return new Patient(p, String.format(Locale.ROOT, "P%d-%07d", tag, p), surname + "^" + given, date(birth), (h & 1) == 0 ? "F" : "M");
    }

    public Study study(int s) {
        // Patient p has studies p, p + P, p + 2P...: one or two each, on unrelated dates.
        Patient patient = patient(s % patients);
        int h = mix(s * 31 + 7);
        LocalDate day = FIRST_DAY.plusDays(Math.floorMod(h, DAYS));
        int m = Math.floorMod(mix(s * 17 + 3), 10);
        Modality modality = m < 5 ? Modality.CT : m < 8 ? Modality.MR : Modality.CR;
        String time = String.format(Locale.ROOT, "%02d%02d%02d", 7 + Math.floorMod(h >> 8, 12), Math.floorMod(h >> 4, 60), Math.floorMod(h, 60));
        return new Study(s, patient, ROOT + tag + "." + (s + 1), date(day), time, String.format(Locale.ROOT, "A%d-%08d", tag, s), modality);
    }

    public Series series(int globalSeries) {
        int s = globalSeries / seriesPerStudy, n = globalSeries % seriesPerStudy;
        long total = seriesCount();
        long base = instances / total, extra = instances % total;
        long first = globalSeries * base + Math.min(globalSeries, extra);
        int count = (int) (base + (globalSeries < extra ? 1 : 0));
        Study study = study(s);
        return new Series(study, n + 1, study.uid() + "." + (n + 1), first, count);
    }

    /** The series holding instance {@code i} of the corpus order. */
    public Series seriesOf(long i) {
        long total = seriesCount(), base = instances / total, extra = instances % total;
        long boundary = extra * (base + 1); // instances held by the series that got one more
        int g = i < boundary ? (int) (i / (base + 1)) : (int) (extra + (i - boundary) / base);
        return series(g);
    }

    public Instance instance(long i) {
        Series se = seriesOf(i);
        int number = (int) (i - se.first()) + 1;
        return new Instance(se, number, se.uid() + "." + number);
    }

    /** The Part 10 file of instance {@code i}, Explicit VR Little Endian. */
    public byte[] file(long i) {
        Instance in = instance(i);
        DataSet ds = dataSet(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows * columns * 2 + 8192);
        try {
            DicomWriter.writeFile(out, ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    DataSet dataSet(Instance in) {
        Series se = in.series();
        Study st = se.study();
        Patient p = st.patient();
        Modality mod = st.modality();
        DataSet ds = Samples.ctHeader();
        // UTF-8 first, so every string set below is encoded with it
        set(ds, "SpecificCharacterSet", "ISO_IR 192");
        set(ds, "SOPClassUID", mod.sopClass);
        set(ds, "SOPInstanceUID", in.uid());
        set(ds, "InstanceNumber", Integer.toString(in.number()));
        set(ds, "ImageType", "ORIGINAL", "PRIMARY", mod == Modality.CR ? "" : "AXIAL");
        for (String k : new String[] {"StudyDate", "SeriesDate", "AcquisitionDate", "ContentDate", "InstanceCreationDate",
                "PerformedProcedureStepStartDate"}) {
            set(ds, k, st.date());
        }
        set(ds, "StudyTime", st.time());
        set(ds, "AccessionNumber", st.accession());
        set(ds, "StudyDescription", mod.studyDescription);
        set(ds, "StudyInstanceUID", st.uid());
        set(ds, "StudyID", Integer.toString(st.index() + 1));
        set(ds, "PatientName", p.name());
        set(ds, "PatientID", p.id());
        set(ds, "PatientBirthDate", p.birthDate());
        set(ds, "PatientSex", p.sex());
        int age = Integer.parseInt(st.date().substring(0, 4)) - Integer.parseInt(p.birthDate().substring(0, 4));
        set(ds, "PatientAge", String.format(Locale.ROOT, "%03dY", Math.max(0, age)));
        set(ds, "Modality", mod.name());
        set(ds, "SeriesDescription", mod.seriesDescription + " " + se.number());
        set(ds, "SeriesInstanceUID", se.uid());
        set(ds, "SeriesNumber", Integer.toString(se.number()));
        set(ds, "BodyPartExamined", mod.bodyPart);
        set(ds, "FrameOfReferenceUID", st.uid() + ".0");
        String z = String.format(Locale.ROOT, "%.2f", -600.0 + in.number() * 1.25);
        set(ds, "ImagePositionPatient", "-189.6289062", "-342.6289062", z);
        set(ds, "SliceLocation", z);
        String spacing = String.format(Locale.ROOT, "%.7f", 380.0 / Math.max(rows, columns));
        set(ds, "PixelSpacing", spacing, spacing);
        ds.setInt(Tag.Rows, VR.US, rows);
        ds.setInt(Tag.Columns, VR.US, columns);
        ds.put(new ValueElement(Tag.PixelData, VR.OW, pixels(in.number())));
        return ds;
    }

    /** A smooth 12-bit pattern that moves with the slice, so no two instances of a series share pixels. */
    private byte[] pixels(int slice) {
        if (slice < PIXEL_CACHE) return pixelCache.computeIfAbsent(slice, this::makePixels);
        return makePixels(slice);
    }

    private byte[] makePixels(int slice) {
        byte[] b = new byte[rows * columns * 2];
        for (int y = 0, p = 0; y < rows; y++) {
            for (int x = 0; x < columns; x++, p += 2) {
                int v = (x * 7 + y * 3 + slice * 11) & 0x0FFF;
                b[p] = (byte) v;
                b[p + 1] = (byte) (v >> 8);
            }
        }
        return b;
    }

    /** Series indices spread evenly over the corpus, at most {@code n}. */
    public List<Series> sampleSeries(int n) {
        int total = seriesCount(), k = Math.min(n, total);
        List<Series> out = new ArrayList<>(k);
        for (int j = 0; j < k; j++) out.add(series((int) ((long) j * total / k)));
        return out;
    }

    /**
     * Up to {@code n} series spread over the corpus that are not in {@code taken} (to warm a server up on the
     * same kind of requests without touching, and caching, the series measured afterwards).
     */
    public List<Series> otherSeries(int n, List<Series> taken) {
        java.util.Set<String> skip = new java.util.HashSet<>();
        for (Series s : taken) skip.add(s.uid());
        int total = seriesCount();
        List<Series> out = new ArrayList<>();
        if (n <= 0) return out;
        int stride = Math.max(1, total / n);
        for (int g = stride / 2; g < total && out.size() < n; g += stride) {
            Series s = series(g);
            if (skip.add(s.uid())) out.add(s);
        }
        for (int g = 0; g < total && out.size() < n; g++) { // short: fill from the start
            Series s = series(g);
            if (skip.add(s.uid())) out.add(s);
        }
        return out;
    }

    public String describe() {
        long bytes = file(0).length;
        return String.format(Locale.ROOT, "%,d instances = %,d studies x %d series (%,d series, %,d-%,d instances each), %,d patients, "
                        + "%dx%d 16-bit pixels, ~%,d bytes per file (~%,.1f MB in all)",
                instances, studies, seriesPerStudy, seriesCount(), instances / seriesCount(),
                (instances + seriesCount() - 1) / seriesCount(), patients, rows, columns, bytes, bytes * (double) instances / 1e6);
    }
}
