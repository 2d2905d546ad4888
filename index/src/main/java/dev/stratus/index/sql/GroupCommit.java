package dev.stratus.index.sql;

import dev.stratus.index.GroupedWork;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * SQLite's writers, one at a time and in groups: the transactions callers hand in while one commit is being forced
 * run next, one after another inside a single BEGIN IMMEDIATE … COMMIT, each in a savepoint of its own, so that
 * one forced write of the log makes all of them durable. A transaction that fails rolls back to its savepoint and
 * fails alone; a commit that fails fails every transaction of its group (none of them is acknowledged).
 */
final class GroupCommit {
    /** Transactions in one group at most: bounds how long the first of them waits for the last. */
    static final int MAX_GROUP = 64;

    private final DataSource pool;
    private final SQLDialect dialect;
    private final Settings settings;
    private final GroupedWork<Job<?>> jobs = new GroupedWork<>(GroupCommit::nextGroup, this::runGroup);

    GroupCommit(DataSource pool, SQLDialect dialect, Settings settings) {
        this.pool = pool;
        this.dialect = dialect;
        this.settings = settings;
    }

    private static final class Job<T> {
        final Function<DSLContext, T> work;
        T result;
        RuntimeException failure;

        Job(Function<DSLContext, T> work) {
            this.work = work;
        }
    }

    /** Runs {@code work} in a transaction and returns once it is durable; throws what the work or the commit threw. */
    <T> T run(Function<DSLContext, T> work) {
        Job<T> job = new Job<>(work);
        jobs.run(job);
        if (job.failure != null) throw job.failure;
        return job.result;
    }

    private static List<Job<?>> nextGroup(ArrayDeque<Job<?>> waiting) {
        List<Job<?>> group = new ArrayList<>();
        while (!waiting.isEmpty() && group.size() < MAX_GROUP) group.add(waiting.poll());
        return group;
    }

    int waitingForTest() {
        return jobs.waiting();
    }

    long groupsForTest() {
        return jobs.groups();
    }

    private void runGroup(List<Job<?>> group) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false); // BEGIN IMMEDIATE (transaction_mode): the write lock is taken here
            try {
                DSLContext tx = DSL.using(c, dialect, settings);
                if (group.size() == 1 && !runAlone(c, tx, group.getFirst())) return; // rolled back: it failed alone
                if (group.size() > 1) for (Job<?> job : group) runOne(c, tx, job);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                failAll(group, e);
            } finally {
                // SQLite may have ended the transaction itself (SQLITE_FULL, an I/O error): then this fails, harmlessly
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // after a commit that returned this changes nothing durable; after a failure, that failure is told
                }
            }
        } catch (SQLException | RuntimeException e) {
            failAll(group, e); // no connection: nothing ran
        } catch (Error e) { // out of memory, say: no job of the group may pass for committed
            failAll(group, new IllegalStateException("index commit failed: " + e, e));
            throw e;
        }
    }

    /**
     * Runs one transaction of the group inside a savepoint; its own failure rolls back to the savepoint. When the
     * savepoint is gone too (SQLite rolled the whole transaction back, as on SQLITE_FULL), the group fails with it.
     */
    private static <T> void runOne(Connection c, DSLContext tx, Job<T> job) throws SQLException {
        Savepoint before = c.setSavepoint();
        try {
            job.result = job.work.apply(tx);
            c.releaseSavepoint(before);
        } catch (RuntimeException e) {
            job.failure = e;
            try {
                c.rollback(before);
                c.releaseSavepoint(before);
            } catch (SQLException gone) {
                throw e;
            }
        }
    }

    /**
     * Runs the one transaction of a group without a savepoint (two statements less: most groups of the store path hold
     * one store of several batches, SharedCommit); its failure rolls the transaction back. Returns whether it succeeded.
     */
    private static <T> boolean runAlone(Connection c, DSLContext tx, Job<T> job) {
        try {
            job.result = job.work.apply(tx);
            return true;
        } catch (RuntimeException e) {
            job.failure = e;
            rollbackQuietly(c);
            return false;
        }
    }

    /** Fails every job of a group whose commit did not happen: none of them is durable. */
    private static void failAll(List<Job<?>> group, Exception e) {
        RuntimeException failure = e instanceof RuntimeException r ? r
                : new org.jooq.exception.DataAccessException("index commit failed: " + e.getMessage(), e);
        for (Job<?> job : group) {
            if (job.failure == null) {
                job.failure = failure;
                job.result = null;
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection goes back to the pool, which checks it
        }
    }
}
