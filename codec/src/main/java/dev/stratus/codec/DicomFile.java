package dev.stratus.codec;

/**
 * What was read from a DICOM file or stream: its File Meta Information (empty if it had none), the data
 * set, and the transfer syntax the data set is encoded in.
 *
 * @param dataSetOffset byte offset of the data set's first element in the input
 * @param complete      false when reading stopped early (ReadOptions.stopBeforeTag)
 */
public record DicomFile(DataSet fileMeta, DataSet dataSet, TransferSyntax transferSyntax,
                        boolean hasPreamble, long dataSetOffset, boolean complete) {
}
