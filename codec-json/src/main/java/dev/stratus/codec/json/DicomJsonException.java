package dev.stratus.codec.json;

/** DICOM JSON that cannot be read (or a data set that cannot be written): says which element and what is wrong. */
public class DicomJsonException extends RuntimeException {
    public DicomJsonException(String message) {
        super(message);
    }

    public DicomJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
