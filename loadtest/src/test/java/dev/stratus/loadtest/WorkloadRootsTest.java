package dev.stratus.loadtest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkloadRootsTest {
    @Test
    void severalNodesAreGivenCommaSeparatedEachWithoutItsTrailingSlash() {
        assertEquals(List.of("http://127.0.0.1:1/dicomweb", "http://127.0.0.1:2/dicomweb"),
                Workload.roots("http://127.0.0.1:1/dicomweb/, http://127.0.0.1:2/dicomweb"));
        assertEquals(List.of("http://127.0.0.1:1/dicomweb"), Workload.roots("http://127.0.0.1:1/dicomweb"));
    }

    @Test
    void anEmptyRootInTheListIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Workload.roots("http://127.0.0.1:1/dicomweb,,http://127.0.0.1:2/dicomweb"));
    }
}
