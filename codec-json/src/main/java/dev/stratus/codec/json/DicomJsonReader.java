package dev.stratus.codec.json;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.Tag;
import dev.stratus.codec.TransferSyntax;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the DICOM JSON Model (PS3.18 F.2) into data sets. Strings are stored in UTF-8 and Specific Character
 * Set becomes "ISO_IR 192" wherever non-ASCII text is present. IS/DS are accepted as numbers or strings,
 * FL/FD also as "NaN"/"Infinity"/"-Infinity" (what {@link DicomJsonWriter} writes for them); a BulkDataURI
 * becomes a {@code BulkDataElement} with that uri (offset and length -1: not known). Anything else that does
 * not follow F.2 is rejected with a {@link DicomJsonException} naming the element and the problem.
 */
public final class DicomJsonReader {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonElementDecoder decoder;

    /** Inline binary in Explicit VR Little Endian: the default of application/dicom+json. */
    public DicomJsonReader() {
        this(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /**
     * @param inlineBinarySyntax the media type's transfer-syntax parameter: byte order of inline binary, and
     *                           whether Pixel Data's inline binary holds encapsulated fragments
     */
    public DicomJsonReader(TransferSyntax inlineBinarySyntax) {
        this.decoder = new JsonElementDecoder(inlineBinarySyntax);
    }

    public DataSet read(String json) {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    public DataSet read(byte[] json) {
        return read(new ByteArrayInputStream(json));
    }

    /** Reads one JSON object (the whole input). */
    public DataSet read(InputStream in) {
        try (JsonParser p = FACTORY.createParser(in)) {
            DataSet ds = readDataSet(p);
            expectEnd(p);
            return ds;
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    public List<DataSet> readArray(String json) {
        List<DataSet> all = new ArrayList<>();
        readArray(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), all::add);
        return all;
    }

    public List<DataSet> readArray(InputStream in) {
        List<DataSet> all = new ArrayList<>();
        readArray(in, all::add);
        return all;
    }

    /** Reads a JSON array of objects, handing each data set over as soon as it is read. */
    public void readArray(InputStream in, Consumer<DataSet> each) {
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new DicomJsonException("expected a JSON array of data sets, found " + p.currentToken() + JsonTree.at(p));
            }
            int index = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) throw new DicomJsonException("unexpected end of JSON inside the array of data sets");
                if (t != JsonToken.START_OBJECT) {
                    throw new DicomJsonException("data set " + index + " of the array is " + t + ", not an object" + JsonTree.at(p));
                }
                each.accept(decoder.dataSet(JsonTree.read(p), "data set " + index++ + " of the array: "));
            }
            expectEnd(p);
        } catch (JacksonException e) {
            throw malformed(e);
        }
    }

    /** Reads the object at (or after) the parser's current token. */
    public DataSet readDataSet(JsonParser p) {
        JsonToken t = p.currentToken() == null ? p.nextToken() : p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            throw new DicomJsonException("expected a JSON object (a data set), found " + t + JsonTree.at(p));
        }
        return decoder.dataSet(JsonTree.read(p), "");
    }

    private static void expectEnd(JsonParser p) {
        if (p.nextToken() != null) throw new DicomJsonException("unexpected content after the JSON value" + JsonTree.at(p));
    }

    private static DicomJsonException malformed(JacksonException e) {
        return new DicomJsonException("malformed JSON: " + e.getOriginalMessage() + locationOf(e), e);
    }

    private static String locationOf(JacksonException e) {
        var loc = e.getLocation();
        return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    /** "(0010,0010) PatientName" style, for messages. */
    static String name(int tag) {
        String kw = dev.stratus.codec.DataDictionary.keywordOf(tag);
        return Tag.toString(tag) + (kw.isEmpty() ? "" : " " + kw);
    }
}
