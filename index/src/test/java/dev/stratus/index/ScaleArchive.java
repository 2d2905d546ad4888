package dev.stratus.index;

import dev.stratus.codec.DataDictionary;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.VR;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A synthetic archive for index scale tests and the QIDO scale benchmark (docs/benchmarks.md): {@code studies}
 * studies of {@code seriesPerStudy} series of {@code instancesPerSeries} instances, every value derived from the
 * indices alone, so that the loader, the tests and the load generator agree on it without sharing state.
 *
 * <p>About 1.5 studies per patient; names from 100 surnames (some non-ASCII) and 50 given names; study dates over
 * 2000-2025; accession numbers unique per study; the study's modality CT 35 %, MR 25 %, CR 12 %, US 10 %, MG 6 %,
 * DX 5 %, PT 4 % (half its series CT), XA 3 %; a quarter of CT studies end on a dose report series (SR). Each
 * instance's header holds what a modality writes into a study, series and image (some 50 attributes).
 */
public final class ScaleArchive {
    public static final String ROOT = "1.2.826.0.1.3680043.10.1234.88.";
    private static final LocalDate FIRST_DAY = LocalDate.of(2000, 1, 1);
    private static final int DAYS = (int) (LocalDate.of(2025, 12, 31).toEpochDay() - FIRST_DAY.toEpochDay()) + 1;

    static final String[] SURNAMES = {
        "SMITH", "MÜLLER", "JOHNSON", "GARCÍA", "WILLIAMS", "BROWN", "SCHMIDT", "JONES", "DUBOIS", "ØSTERGAARD",
        "MILLER", "DAVIS", "ROSSI", "NÚÑEZ", "WILSON", "MOORE", "TAYLOR", "ИВАНОВА", "ANDERSON", "THOMAS",
        "JACKSON", "WHITE", "HARRIS", "DVOŘÁK", "MARTIN", "THOMPSON", "MARTINEZ", "ROBINSON", "CLARK", "山田",
        "LEWIS", "LEE", "WALKER", "HALL", "ALLEN", "ÅBERG", "YOUNG", "KING", "WRIGHT", "ΠΑΠΑΔΟΠΟΥΛΟΣ",
        "LOPEZ", "HILL", "SCOTT", "GREEN", "ADAMS", "BAKER", "GONZALEZ", "NELSON", "CARTER", "MITCHELL",
        "PEREZ", "ROBERTS", "TURNER", "PHILLIPS", "CAMPBELL", "PARKER", "EVANS", "EDWARDS", "COLLINS", "STEWART",
        "SANCHEZ", "MORRIS", "ROGERS", "REED", "COOK", "MORGAN", "BELL", "MURPHY", "BAILEY", "RIVERA",
        "COOPER", "RICHARDSON", "COX", "HOWARD", "WARD", "TORRES", "PETERSON", "GRAY", "RAMIREZ", "JAMES",
        "WATSON", "BROOKS", "KELLY", "SANDERS", "PRICE", "BENNETT", "WOOD", "BARNES", "ROSS", "HENDERSON",
        "FISCHER", "WEBER", "MEYER", "WAGNER", "BECKER", "SCHULZ", "HOFFMANN", "KOCH", "RICHTER", "KLEIN",
    };
    static final String[] GIVEN = {
        "JAMES", "MARY", "JOHN", "PATRICIA", "ROBERT", "JENNIFER", "MICHAEL", "LINDA", "WILLIAM", "ELIZABETH",
        "DAVID", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "JÜRGEN", "SARAH", "FRANÇOIS", "KAREN",
        "THOMAS", "NANCY", "CHRISTOPHER", "LISA", "DANIEL", "BETTY", "MATTHEW", "HELEN", "ANTHONY", "SANDRA",
        "MARK", "DONNA", "RENÉE", "CAROL", "PAUL", "RUTH", "STEVEN", "SHARON", "ANDREW", "MICHELLE",
        "ANNA", "PETER", "MARIA", "HANS", "SOFIA", "LUCA", "EMMA", "NOAH", "OLGA", "YUKI",
    };

    /** A modality with the SOP class, descriptions and body part its series get. */
    public enum Modality {
        CT("1.2.840.10008.5.1.4.1.1.2", "CHEST", "CT THORAX ABDOMEN WITH CONTRAST", "Thorax 1.0 Br40"),
        MR("1.2.840.10008.5.1.4.1.1.4", "BRAIN", "MR HEAD WITHOUT CONTRAST", "t2_tse_tra"),
        CR("1.2.840.10008.5.1.4.1.1.1", "CHEST", "XR CHEST 2 VIEWS", "PA"),
        US("1.2.840.10008.5.1.4.1.1.6.1", "ABDOMEN", "US ABDOMEN COMPLETE", "Liver"),
        MG("1.2.840.10008.5.1.4.1.1.1.2", "BREAST", "MG SCREENING BILATERAL", "L CC"),
        DX("1.2.840.10008.5.1.4.1.1.1.1", "HAND", "XR HAND 3 VIEWS", "AP"),
        PT("1.2.840.10008.5.1.4.1.1.128", "WHOLEBODY", "PET CT WHOLE BODY FDG", "PET WB AC"),
        XA("1.2.840.10008.5.1.4.1.1.12.1", "HEART", "XA CORONARY ANGIOGRAPHY", "LCA"),
        SR("1.2.840.10008.5.1.4.1.1.88.67", "CHEST", "CT DOSE REPORT", "Dose Report");

        public final String sopClass;
        final String bodyPart, studyDescription, seriesDescription;

        Modality(String sopClass, String bodyPart, String studyDescription, String seriesDescription) {
            this.sopClass = sopClass;
            this.bodyPart = bodyPart;
            this.studyDescription = studyDescription;
            this.seriesDescription = seriesDescription;
        }
    }

    public record Study(int index, String uid, String patientId, String patientName, String birthDate, String sex, String date,
                        String time, String accession, String referringPhysician, Modality modality, boolean doseReport) {}

    private final int studies, seriesPerStudy, instancesPerSeries, patients;
    private final TenantId tenant;

    public ScaleArchive(TenantId tenant, int studies, int seriesPerStudy, int instancesPerSeries) {
        if (studies < 1 || seriesPerStudy < 1 || instancesPerSeries < 1 || seriesPerStudy > 999 || instancesPerSeries > 99_999) {
            throw new IllegalArgumentException("studies, series per study (up to 999) and instances per series (up to 99,999) must be positive");
        }
        this.tenant = tenant;
        this.studies = studies;
        this.seriesPerStudy = seriesPerStudy;
        this.instancesPerSeries = instancesPerSeries;
        this.patients = Math.max(1, (int) Math.round(studies / 1.5));
    }

    public TenantId tenant() { return tenant; }

    public int studies() { return studies; }

    public int seriesPerStudy() { return seriesPerStudy; }

    public int instancesPerSeries() { return instancesPerSeries; }

    public long instances() { return (long) studies * seriesPerStudy * instancesPerSeries; }

    public Study study(int s) {
        int p = s % patients; // patient p has studies p, p + P, ...
        int ph = mix(p * 7919 + 13), h = mix(s * 31 + 7);
        String name = SURNAMES[p % SURNAMES.length] + "^" + GIVEN[Math.floorMod(p / SURNAMES.length + p * 7, GIVEN.length)];
        String birth = date(LocalDate.of(1930, 1, 1).plusDays(Math.floorMod(ph, 365 * 75)));
        String day = date(FIRST_DAY.plusDays(Math.floorMod(h, DAYS)));
        String time = String.format(Locale.ROOT, "%02d%02d%02d", 7 + Math.floorMod(h >> 8, 12), Math.floorMod(h >> 4, 60), Math.floorMod(h, 60));
        int m = Math.floorMod(mix(s * 17 + 3), 100);
        Modality modality = m < 35 ? Modality.CT : m < 60 ? Modality.MR : m < 72 ? Modality.CR : m < 82 ? Modality.US
                : m < 88 ? Modality.MG : m < 93 ? Modality.DX : m < 97 ? Modality.PT : Modality.XA;
        boolean doseReport = modality == Modality.CT && seriesPerStudy > 1 && Math.floorMod(h >> 12, 4) == 0;
        int r = Math.floorMod(mix(s * 13 + 5), 400);
        String referring = SURNAMES[r % SURNAMES.length] + "^" + GIVEN[r % GIVEN.length] + "^^DR";
        return new Study(s, ROOT + (s + 1), String.format(Locale.ROOT, "PID%07d", p), name, birth, (ph & 1) == 0 ? "F" : "M",
                day, time, String.format(Locale.ROOT, "ACC%08d", s + 1), referring, modality, doseReport);
    }

    /** The modality of series {@code n} (1-based) of a study. */
    public Modality seriesModality(Study st, int n) {
        if (st.doseReport() && n == seriesPerStudy) return Modality.SR;
        if (st.modality() == Modality.PT && n % 2 == 0) return Modality.CT;
        return st.modality();
    }

    public String seriesUid(Study st, int n) { return st.uid() + "." + n; }

    /** The instances of study {@code s}, series by series, as the index receives them from ingest. */
    public List<InstanceRecord> instances(int s) {
        Study st = study(s);
        List<InstanceRecord> out = new ArrayList<>(seriesPerStudy * instancesPerSeries);
        for (int n = 1; n <= seriesPerStudy; n++) {
            for (int i = 1; i <= instancesPerSeries; i++) out.add(instance(st, n, i));
        }
        return out;
    }

    InstanceRecord instance(Study st, int n, int i) {
        Modality mod = seriesModality(st, n);
        String series = seriesUid(st, n), sop = series + "." + i;
        DataSet ds = new DataSet(64);
        set(ds, "SpecificCharacterSet", "ISO_IR 192"); // first: the strings below are UTF-8
        set(ds, "ImageType", "ORIGINAL", "PRIMARY", mod == Modality.SR ? "" : "AXIAL");
        set(ds, "SOPClassUID", mod.sopClass);
        set(ds, "SOPInstanceUID", sop);
        set(ds, "StudyDate", st.date());
        set(ds, "SeriesDate", st.date());
        set(ds, "ContentDate", st.date());
        set(ds, "StudyTime", st.time());
        set(ds, "SeriesTime", st.time());
        set(ds, "ContentTime", st.time());
        set(ds, "AccessionNumber", st.accession());
        set(ds, "Modality", mod.name());
        set(ds, "Manufacturer", "STRATUS MEDICAL");
        set(ds, "InstitutionName", "GENERAL HOSPITAL");
        set(ds, "ReferringPhysicianName", st.referringPhysician());
        set(ds, "StationName", mod.name() + "01");
        set(ds, "StudyDescription", st.modality().studyDescription);
        set(ds, "SeriesDescription", mod.seriesDescription + " " + n);
        set(ds, "ManufacturerModelName", "MODEL " + mod.name());
        set(ds, "PatientName", st.patientName());
        set(ds, "PatientID", st.patientId());
        set(ds, "PatientBirthDate", st.birthDate());
        set(ds, "PatientSex", st.sex());
        int age = Integer.parseInt(st.date().substring(0, 4)) - Integer.parseInt(st.birthDate().substring(0, 4));
        set(ds, "PatientAge", String.format(Locale.ROOT, "%03dY", Math.max(0, age)));
        set(ds, "BodyPartExamined", mod.bodyPart);
        set(ds, "SliceThickness", "1.25");
        set(ds, "SoftwareVersions", "VA10");
        set(ds, "ProtocolName", mod.studyDescription);
        set(ds, "PatientPosition", "HFS");
        set(ds, "StudyInstanceUID", st.uid());
        set(ds, "SeriesInstanceUID", series);
        set(ds, "StudyID", Integer.toString(st.index() + 1));
        set(ds, "SeriesNumber", Integer.toString(n));
        set(ds, "AcquisitionNumber", "1");
        set(ds, "InstanceNumber", Integer.toString(i));
        String z = String.format(Locale.ROOT, "%.2f", -600.0 + i * 1.25);
        set(ds, "ImagePositionPatient", "-189.6289062", "-342.6289062", z);
        set(ds, "ImageOrientationPatient", "1", "0", "0", "0", "1", "0");
        set(ds, "FrameOfReferenceUID", st.uid() + ".0");
        set(ds, "SliceLocation", z);
        set(ds, "PerformedProcedureStepStartDate", st.date());
        set(ds, "PerformedProcedureStepStartTime", st.time());
        if (mod != Modality.SR) {
            set(ds, "SamplesPerPixel", "1");
            set(ds, "PhotometricInterpretation", "MONOCHROME2");
            ds.setInt(Tag.Rows, VR.US, 512);
            ds.setInt(Tag.Columns, VR.US, 512);
            set(ds, "PixelSpacing", "0.7421875", "0.7421875");
            ds.setInt(Tag.BitsAllocated, VR.US, 16);
            ds.setInt(Tag.BitsStored, VR.US, 12);
            ds.setInt(Tag.HighBit, VR.US, 11);
            ds.setInt(Tag.PixelRepresentation, VR.US, 0);
            set(ds, "WindowCenter", "40");
            set(ds, "WindowWidth", "400");
            set(ds, "RescaleIntercept", "-1024");
            set(ds, "RescaleSlope", "1");
        }
        String key = String.join("/", "tenants", tenant.name(), "studies", st.uid(), "series", series,
                sop + "_" + String.format(Locale.ROOT, "%08x", mix(st.index() * 1000 + n * 100 + i)) + ".dcm");
        return new InstanceRecord(tenant, st.uid(), series, sop, mod.sopClass, "1.2.840.10008.1.2.1", key,
                mod == Modality.SR ? 18_000 : 526_000, ds);
    }

    /** Sets an attribute by its keyword (also the load generator's corpus). */
    public static void set(DataSet ds, String keyword, String... values) {
        int t = DataDictionary.tagOf(keyword);
        ds.setString(t, DataDictionary.entry(t).vr(), values);
    }

    /** A DICOM DA value. */
    public static String date(LocalDate d) {
        return String.format(Locale.ROOT, "%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    /** murmur3's finaliser: stable spreading of dates, modalities and names. */
    public static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%,d instances = %,d studies x %d series x %d instances, %,d patients",
                instances(), studies, seriesPerStudy, instancesPerSeries, patients);
    }
}
