package dev.stratus.index.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SQLite's writers commit in groups: those that arrive while a commit runs share the next one, and fail alone. */
class GroupCommitTest {
    @TempDir
    Path dir;
    HikariDataSource pool;
    GroupCommit writer;

    @BeforeEach
    void open() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(EmbeddedSqlite.url(dir.resolve("t.sqlite")));
        EmbeddedSqlite.configure(config);
        pool = new HikariDataSource(config);
        writer = new GroupCommit(pool, SQLDialect.SQLITE, new Settings());
        DSL.using(pool, SQLDialect.SQLITE).execute("CREATE TABLE t (x INTEGER PRIMARY KEY)");
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private int rows() {
        return DSL.using(pool, SQLDialect.SQLITE).fetchCount(DSL.table("t"));
    }

    @Test
    void transactionsThatArriveDuringACommitShareTheNextOneAndAFailingOneFailsAlone() throws Exception {
        CountDownLatch leaderInside = new CountDownLatch(1), release = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> leader = threads.submit(() -> writer.run(tx -> {
                leaderInside.countDown();
                await(release);
                return tx.execute("INSERT INTO t VALUES (0)");
            }));
            assertTrue(leaderInside.await(10, TimeUnit.SECONDS));
            List<Future<Integer>> followers = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                int x = i;
                followers.add(threads.submit(() -> writer.run(tx -> tx.execute("INSERT INTO t VALUES (" + x + ")"))));
            }
            // Conflicts with the leader's row, committed before its group: fails whatever order the group runs in.
            Future<Integer> duplicate = threads.submit(() -> writer.run(tx -> tx.execute("INSERT INTO t VALUES (0)")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writer.waitingForTest() < 6 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(6, writer.waitingForTest(), "six transactions queued behind the running group");
            long groupsBefore = writer.groupsForTest();
            release.countDown();
            assertEquals(1, leader.get(10, TimeUnit.SECONDS));
            for (Future<Integer> f : followers) assertEquals(1, f.get(10, TimeUnit.SECONDS));
            Exception e = assertThrows(Exception.class, () -> duplicate.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("UNIQUE"), e.getCause().getMessage());
            assertEquals(2, writer.groupsForTest() - groupsBefore, "the leader's group, then the six queued transactions as one");
        }
        assertEquals(6, rows(), "every transaction but the failing one is committed");
    }

    @Test
    void concurrentWritersAllCommit() throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int x = i;
                all.add(threads.submit(() -> writer.run(tx -> tx.execute("INSERT INTO t VALUES (" + x + ")"))));
            }
            for (Future<Integer> f : all) assertEquals(1, f.get(60, TimeUnit.SECONDS));
        }
        assertEquals(400, rows());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
