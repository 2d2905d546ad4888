package dev.stratus.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Delivers events to subscribers on a virtual thread each, so a slow consumer never slows ingest. */
public final class InProcessEventBus implements EventBus {
    private static final Logger log = LoggerFactory.getLogger(InProcessEventBus.class);

    private record Subscriber(String name, Consumer<ArchiveEvent> consumer) {}

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @Override
    public void publish(ArchiveEvent event) {
        for (Subscriber s : subscribers) {
            executor.execute(() -> {
                try {
                    s.consumer.accept(event);
                } catch (RuntimeException e) {
                    log.warn("event consumer {} failed on {}: {}", s.name, event, e.toString());
                }
            });
        }
    }

    @Override
    public void subscribe(String name, Consumer<ArchiveEvent> consumer) {
        subscribers.add(new Subscriber(name, consumer));
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
