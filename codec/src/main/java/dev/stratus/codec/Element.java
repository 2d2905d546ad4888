package dev.stratus.codec;

/**
 * One data element of a data set. Binary numbers are held little endian whatever the source syntax;
 * strings are held as the bytes read, decoded on demand with the data set's character set.
 */
public sealed interface Element permits ValueElement, SequenceElement, FragmentsElement, BulkDataElement {
    int tag();

    VR vr();
}
