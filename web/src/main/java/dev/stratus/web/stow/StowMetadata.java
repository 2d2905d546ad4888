package dev.stratus.web.stow;

import dev.stratus.codec.DataSet;
import dev.stratus.codec.ParseBudget;
import dev.stratus.codec.json.DicomJsonException;
import dev.stratus.codec.json.DicomJsonReader;
import dev.stratus.codec.xml.NativeXmlException;
import dev.stratus.codec.xml.NativeXmlReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata parts of a STOW-RS request (PS3.18 10.5.1.4): a JSON array of DICOM JSON Model objects (F.2), or one
 * Native DICOM Model document (PS3.19 A.1) per part. All of one request's metadata together holds at most
 * ingest.maxValueBytes of text, its nesting and its number of attributes are bounded by the other ingest.* limits,
 * so a hostile part is refused before it takes the heap. A part that breaks a rule is {@link Refused}.
 */
final class StowMetadata {
    private static final Logger log = LoggerFactory.getLogger(StowMetadata.class);

    /** A metadata part that cannot be read: the part's failure, with the reason. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final ParseBudget budget;
    private long bytesLeft;

    StowMetadata(ParseBudget budget) {
        this.budget = budget;
        this.bytesLeft = budget.maxValueBytes();
    }

    List<DataSet> json(InputStream part) throws Refused, IOException {
        Counted in = new Counted(part);
        // An element is about 8 tokens ({"vr":..,"Value":[..]}); a sequence level is 3 levels of JSON nesting.
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(3 * budget.maxDepth() + 3)
                .maxTokenCount(8 * budget.maxElements())
                .maxStringLength((int) Math.min(Integer.MAX_VALUE - 16, budget.maxValueBytes()))
                .build()).build();
        List<DataSet> all = new ArrayList<>();
        DicomJsonReader reader = new DicomJsonReader();
        try (JsonParser p = factory.createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) throw new Refused("the metadata is not a JSON array of DICOM JSON objects (PS3.18 10.5.1.4)");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.START_OBJECT) throw new Refused("item " + all.size() + " of the metadata array is " + t + ", not an object");
                all.add(reader.readDataSet(p));
            }
            if (p.nextToken() != null) throw new Refused("content after the metadata array");
        } catch (JacksonException e) {
            throw new Refused(in.over() ? tooLarge() : "malformed JSON: " + e.getOriginalMessage());
        } catch (DicomJsonException e) {
            throw new Refused(in.over() ? tooLarge() : e.getMessage());
        } catch (UncheckedTooLarge e) {
            throw new Refused(tooLarge());
        } catch (RuntimeException e) { // a reader fault on hostile input is this part's failure, not the request's
            log.warn("reading STOW-RS metadata failed", e);
            throw new Refused("the metadata reader failed on it");
        }
        return all;
    }

    DataSet xml(InputStream part) throws Refused, IOException {
        Counted in = new Counted(part);
        try {
            return new NativeXmlReader(budget.maxDepth(), budget.maxElements()).read(in);
        } catch (NativeXmlException e) {
            throw new Refused(in.over() ? tooLarge() : e.getMessage());
        } catch (UncheckedTooLarge e) {
            throw new Refused(tooLarge());
        } catch (RuntimeException e) { // a reader fault on hostile input is this part's failure, not the request's
            log.warn("reading STOW-RS metadata failed", e);
            throw new Refused("the metadata reader failed on it");
        }
    }

    private String tooLarge() {
        return "the metadata of this request is larger than " + budget.maxValueBytes() + " bytes (ingest.maxValueBytes)";
    }

    private static final class UncheckedTooLarge extends RuntimeException {
        UncheckedTooLarge() {
            super(null, null, false, false);
        }
    }

    /** Counts every byte read against the request's metadata budget; past it, reading fails. */
    private final class Counted extends FilterInputStream {
        private boolean over;

        Counted(InputStream in) {
            super(in);
        }

        boolean over() {
            return over;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count(n);
            return n;
        }

        private void count(int n) {
            bytesLeft -= n;
            if (bytesLeft < 0) {
                over = true;
                throw new UncheckedTooLarge();
            }
        }
    }
}
