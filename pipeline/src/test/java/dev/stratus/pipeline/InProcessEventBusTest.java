package dev.stratus.pipeline;

import dev.stratus.index.TenantId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InProcessEventBusTest {
    @Test
    void everySubscriberReceivesEveryEventEvenWhenAnotherFails() throws InterruptedException {
        try (InProcessEventBus bus = new InProcessEventBus()) {
            List<ArchiveEvent> got = new CopyOnWriteArrayList<>();
            CountDownLatch latch = new CountDownLatch(2);
            bus.subscribe("failing", e -> { throw new IllegalStateException("boom"); });
            bus.subscribe("collecting", e -> { got.add(e); latch.countDown(); });
            var a = new ArchiveEvent.InstanceStored(TenantId.DEFAULT, "1.2", "1.2.3", "1.2.3.4", "1.2.840.10008.5.1.4.1.1.2", "test");
            var b = new ArchiveEvent.Deleted(TenantId.DEFAULT, "1.2", null, null);
            bus.publish(a);
            bus.publish(b);
            assertTrue(latch.await(5, TimeUnit.SECONDS));
            assertEquals(2, got.size());
            assertTrue(got.containsAll(List.of(a, b)));
        }
    }
}
