package dev.stratus.web.stow;

import dev.stratus.storage.SpooledFile;
import dev.stratus.web.http.MediaType;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bulk data parts of a STOW-RS request of metadata and bulk data (PS3.18 10.5.1.4), each spooled, found by
 * its Content-Location. A location and a BulkDataURI match when they are the same text, or name the same URI once
 * a relative one is resolved against the request's URI (RFC 3986 5.2; RFC 2557 4.4 makes relative locations
 * relative to the message's base). Closing deletes every part's file.
 */
final class BulkDataParts implements AutoCloseable {
    /** One bulk data part: its number in the body, its Content-Location as sent (or null) and its media type. */
    record Part(int number, String location, MediaType type, SpooledFile file) {
        long size() { return file.size(); }
    }

    private final URI base;
    private final Map<String, List<Part>> byLocation = new HashMap<>();
    private final List<Part> all = new ArrayList<>();
    private final Set<Part> referenced = Collections.newSetFromMap(new IdentityHashMap<>());
    private long received;
    private long spent;

    /** @param requestUri the request's own URI, against which relative locations and BulkDataURIs resolve */
    BulkDataParts(String requestUri) {
        URI b;
        try {
            b = new URI(requestUri);
        } catch (URISyntaxException e) {
            b = null;
        }
        this.base = b;
    }

    void add(Part part) {
        all.add(part);
        received += part.size();
        if (part.location() != null) byLocation.computeIfAbsent(key(part.location()), k -> new ArrayList<>()).add(part);
    }

    /** The parts whose Content-Location names {@code uri}, in body order (several: a location sent twice). */
    List<Part> at(String uri) {
        List<Part> found = byLocation.getOrDefault(key(uri), List.of());
        referenced.addAll(found);
        return found;
    }

    /**
     * Takes {@code bytes} of bulk data for one instance, or returns false when the request's instances would together
     * take more than it sent: a part named by many instances would otherwise be written once per instance, so that a
     * small body could fill the disk. Parts may be shared while unreferenced parts leave room.
     */
    boolean spend(long bytes) {
        if (spent + bytes > received) return false;
        spent += bytes;
        return true;
    }

    /** Parts no instance referenced (or with no Content-Location): ignored, and counted in a Warning. */
    int unreferenced() {
        return (int) all.stream().filter(p -> !referenced.contains(p)).count();
    }

    private String key(String uri) {
        if (base == null) return uri;
        try {
            return base.resolve(new URI(uri)).normalize().toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return uri; // not a URI: only the same text matches it
        }
    }

    @Override
    public void close() {
        for (Part p : all) p.file().delete();
        all.clear();
        byLocation.clear();
    }
}
