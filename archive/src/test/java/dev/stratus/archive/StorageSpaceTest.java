package dev.stratus.archive;

import dev.stratus.index.IndexFullException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Telling a full disk from other failures, and the reserve's life: written at start, released when full, back with room. */
class StorageSpaceTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskIsRecognisedWhereverItIsInTheCauseChainAndNothingElseIs() {
        assertEquals("no space left on device", StorageSpace.fullDisk(new IOException("No space left on device")));
        assertNotNull(StorageSpace.fullDisk(new FileSystemException("/data/blobs/x", null, "No space left on device")));
        assertNotNull(StorageSpace.fullDisk(new FileSystemException("/data/spool", null, "Disk quota exceeded")));
        assertNotNull(StorageSpace.fullDisk(new ExecutionException(new UncheckedIOException(new IOException("No space left on device")))));
        assertNotNull(StorageSpace.fullDisk(new RuntimeException(new IndexFullException("full", new SQLException("[SQLITE_FULL]")))));
        assertNull(StorageSpace.fullDisk(new IOException("Connection reset by peer")));
        assertNull(StorageSpace.fullDisk(new RuntimeException("No space left on device"))); // only I/O failures say so
        assertNull(StorageSpace.fullDisk(new IOException((String) null)));
    }

    @Test
    void theReserveIsReleasedWhenTheDiskFillsAndWrittenBackWhenThereIsRoomAgain() throws Exception {
        Path reserve = dir.resolve(StorageSpace.RESERVE_FILE);
        StorageSpace space = new StorageSpace(dir, 1 << 20);
        space.awaitReserve(); // forced to disk and moved into place off the start's path
        assertEquals(1 << 20, Files.size(reserve), "written at start");
        assertNull(space.fullReason());

        assertFalse(space.observe(new IOException("Broken pipe")));
        assertNull(space.fullReason(), "another failure is not a full disk");
        assertTrue(space.observe(new IOException("No space left on device")));
        assertFalse(Files.exists(reserve), "released for the index's DELETEs");
        String reason = space.fullReason();
        assertNotNull(reason);
        assertTrue(reason.contains("no space left on device") && reason.contains("DELETE"), reason);

        Thread.sleep(300); // the free space is looked at again at most every 250 ms
        assertNull(space.fullReason(), "this disk has room: stores resume");
        assertEquals(1 << 20, Files.size(reserve), "the reserve is back");
    }
}
