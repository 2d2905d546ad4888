package dev.stratus.web;

/** The end-to-end DICOMweb tests with the index on MariaDB. */
class DicomWebOnMariaDbTest extends DicomWebEndToEndTest {
    @Override
    TestBackend backend() {
        return TestBackend.MARIADB;
    }
}
