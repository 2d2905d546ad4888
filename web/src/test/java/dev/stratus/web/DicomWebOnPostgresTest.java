package dev.stratus.web;

/** The end-to-end DICOMweb tests with the index on PostgreSQL. */
class DicomWebOnPostgresTest extends DicomWebEndToEndTest {
    @Override
    TestBackend backend() {
        return TestBackend.POSTGRESQL;
    }
}
