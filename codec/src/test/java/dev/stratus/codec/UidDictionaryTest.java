package dev.stratus.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class UidDictionaryTest {
    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final String VERIFICATION = "1.2.840.10008.1.1";

    @Test
    void transferSyntaxNames() {
        assertEquals("Implicit VR Little Endian", UidDictionary.name("1.2.840.10008.1.2"));
        assertEquals("ImplicitVRLittleEndian", UidDictionary.keyword("1.2.840.10008.1.2"));
        assertEquals("Transfer Syntax", UidDictionary.type("1.2.840.10008.1.2"));
        assertEquals("Explicit VR Little Endian", UidDictionary.name("1.2.840.10008.1.2.1"));
        assertEquals("1.2.840.10008.1.2.1", UidDictionary.uidOf("ExplicitVRLittleEndian"));
        assertTrue(UidDictionary.isRetired("1.2.840.10008.1.2.2")); // Explicit VR Big Endian
    }

    @Test
    void unknownUid() {
        assertEquals("", UidDictionary.name("1.2.3.4"));
        assertEquals("", UidDictionary.keyword("1.2.3.4"));
        assertEquals("", UidDictionary.type(null));
        assertFalse(UidDictionary.isStorageSopClass("1.2.3.4"));
        assertFalse(UidDictionary.isStorageSopClass(null));
        assertNull(UidDictionary.uidOf("NoSuchUid"));
    }

    @Test
    void ctImageStorageIsStorage() {
        assertEquals("CT Image Storage", UidDictionary.name(CT_IMAGE_STORAGE));
        assertEquals("SOP Class", UidDictionary.type(CT_IMAGE_STORAGE));
        assertTrue(UidDictionary.isStorageSopClass(CT_IMAGE_STORAGE));
    }

    @Test
    void verificationIsNotStorage() {
        assertEquals("Verification SOP Class", UidDictionary.name(VERIFICATION));
        assertEquals("Verification", UidDictionary.keyword(VERIFICATION));
        assertFalse(UidDictionary.isStorageSopClass(VERIFICATION));
    }

    @Test
    void storageClassEdgeCases() {
        // "- For Presentation"/"- For Processing" variants
        assertTrue(UidDictionary.isStorageSopClass("1.2.840.10008.5.1.4.1.1.1.1"));
        assertTrue(UidDictionary.isStorageSopClass("1.2.840.10008.5.1.4.1.1.1.1.1"));
        // non-patient objects (PS3.4 Annex GG), SR, encapsulated documents, RT, waveforms
        assertTrue(UidDictionary.isStorageSopClass("1.2.840.10008.5.1.4.38.1")); // Hanging Protocol Storage
        assertTrue(UidDictionary.isStorageSopClass("1.2.840.10008.5.1.4.1.1.88.22")); // Enhanced SR
        assertTrue(UidDictionary.isStorageSopClass("1.2.840.10008.5.1.4.1.1.104.1")); // Encapsulated PDF
        assertTrue(UidDictionary.isStorageSopClass("1.2.840.10008.5.1.4.1.1.481.5")); // RT Plan
        assertTrue(UidDictionary.isStorageSopClass("1.2.840.10008.5.1.4.1.1.9.1.1")); // 12-lead ECG
        // retired storage classes still accepted
        assertTrue(UidDictionary.isStorageSopClass("1.2.840.10008.5.1.4.1.1.6")); // Ultrasound Image (retired)
        assertTrue(UidDictionary.isStorageSopClass("1.2.840.10008.5.1.1.29")); // Hardcopy Grayscale Image Storage SOP Class
        // not storage: commitment, DICOMDIR, query/retrieve, the service class itself, transfer syntaxes
        assertFalse(UidDictionary.isStorageSopClass("1.2.840.10008.1.20.1")); // Storage Commitment Push Model
        assertFalse(UidDictionary.isStorageSopClass("1.2.840.10008.1.3.10")); // Media Storage Directory Storage
        assertFalse(UidDictionary.isStorageSopClass("1.2.840.10008.5.1.4.1.2.2.1")); // Study Root Q/R FIND
        assertFalse(UidDictionary.isStorageSopClass("1.2.840.10008.4.2")); // Storage Service Class
        assertFalse(UidDictionary.isStorageSopClass("1.2.840.10008.1.2.1"));
    }

    @Test
    void storageSopClassList() {
        List<String> all = UidDictionary.storageSopClasses();
        assertEquals(all.size(), new HashSet<>(all).size());
        assertTrue(all.contains(CT_IMAGE_STORAGE));
        assertFalse(all.contains(VERIFICATION));
        for (String uid : all) {
            assertTrue(UidDictionary.isStorageSopClass(uid), uid);
            assertEquals("SOP Class", UidDictionary.type(uid), uid);
        }
        // pydicom 2.3.1 / DICOM 2022a: 174 current storage SOP classes (its list minus the DICOMDIR) plus 20 retired
        assertEquals(174, all.stream().filter(u -> !UidDictionary.isRetired(u)).count());
        assertEquals(194, all.size());
    }
}
