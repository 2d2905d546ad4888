package dev.stratus.codec.xml;

/** A Native DICOM Model document that does not follow PS3.19 A.1, or goes over a limit: the message says where and why. */
public final class NativeXmlException extends RuntimeException {
    public NativeXmlException(String message) {
        super(message);
    }
}
