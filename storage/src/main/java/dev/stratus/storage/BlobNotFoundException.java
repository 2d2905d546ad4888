package dev.stratus.storage;

import java.io.FileNotFoundException;

/** The key names no blob. */
public class BlobNotFoundException extends FileNotFoundException {
    public BlobNotFoundException(String key) {
        super("no stored object under " + key);
    }
}
