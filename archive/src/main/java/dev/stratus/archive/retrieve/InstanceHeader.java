package dev.stratus.archive.retrieve;

import dev.stratus.codec.BulkDataElement;
import dev.stratus.codec.DataSet;
import dev.stratus.codec.TransferSyntax;
import dev.stratus.index.StoredInstance;

/**
 * An instance's header as read from its blob, stopped before the pixel data: the pixel data element
 * (if any) is kept as a BulkDataElement whose offset locates the value in the blob.
 */
public record InstanceHeader(StoredInstance instance, DataSet dataSet, TransferSyntax transferSyntax, BulkDataElement pixelData) {
}
