package dev.sluice.store;

import io.quarkus.logging.Log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One thread that owns every write to the database and commits them in groups: whatever is queued while a commit
 * is in progress goes into the next transaction, so under load one flush serves hundreds of requests and at rest
 * a lone write commits at once.
 *
 * <p>In between, when writes arrive about as often as a commit takes (a few thousand a second: each would otherwise
 * commit alone, with its own fsync), the writer may wait a short, bounded linger for company before it commits: at
 * most {@code linger} after the group's first write was queued, and only while the writes seen recently arrived
 * less than a linger apart, so that a lone write at a low rate never waits for company that will not come.
 *
 * <p>A transient failure (connection lost, deadlock, database busy or down) retries the whole group until it
 * succeeds; nothing queued is dropped. A group in which one write is refused (a constraint) is retried write by
 * write, so that only the refused one fails.
 */
final class GroupCommitWriter {

    /**
     * A write: runs inside the group's transaction and may register work for the end of the group; its result
     * is read once the transaction has committed.
     */
    interface Op<T> {
        Supplier<T> apply(Connection connection, Group group) throws SQLException;
    }

    /** Work done once for a whole transaction. */
    interface Step {
        void run(Connection connection) throws SQLException;
    }

    /** Work shared by the writes of one transaction (aggregated balance updates, batched inserts). */
    interface Group {
        /** Runs once per transaction, after every op applied, before the commit. */
        void beforeCommit(Step step);

        Map<Object, Object> state();

        /**
         * A prepared statement of the writer's connection, prepared once and reused by every later group (its
         * parameters and batch cleared); not to be closed by the caller.
         */
        PreparedStatement statement(String sql) throws SQLException;
    }

    /** Told of every commit, for metrics. Called on the writer thread: must return at once. */
    interface CommitListener {
        CommitListener NONE = (writes, waited) -> {
        };

        /**
         * A transaction committed.
         *
         * @param writes how many writes it carried
         * @param waited for each write, the nanoseconds from being queued until committed
         */
        void committed(int writes, long[] waited);
    }

    private record Pending<T>(Op<T> op, CompletableFuture<T> done, long queuedAt) {
    }

    private final Supplier<Connection> connections;
    private final CommitListener listener;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final long lingerNanos;
    /** Gaps longer than this count as this much: after a pause the average comes back within a few writes. */
    private final long longGap;
    /** Mean gap between consecutive writes, in nanoseconds (moving average, writer thread only). */
    private long meanGap;
    private long lastQueuedAt;
    private final Thread thread;
    private volatile boolean running = true;
    private Connection connection;
    /** The statements prepared on {@link #connection}, by SQL text: compiling them once saves most of a small group. */
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    GroupCommitWriter(String name, Supplier<Connection> connections, int maxBatch) {
        this(name, connections, maxBatch, CommitListener.NONE);
    }

    GroupCommitWriter(String name, Supplier<Connection> connections, int maxBatch, CommitListener listener) {
        this(name, connections, maxBatch, 0, listener);
    }

    /**
     * @param lingerNanos how long a group may wait for company after its first write was queued (0: never); only
     *                    used while writes arrive less than this apart
     */
    GroupCommitWriter(String name, Supplier<Connection> connections, int maxBatch, long lingerNanos,
                      CommitListener listener) {
        this.connections = connections;
        this.listener = listener;
        this.maxBatch = Math.max(1, maxBatch);
        this.lingerNanos = Math.max(0, lingerNanos);
        this.longGap = 8 * this.lingerNanos;
        this.meanGap = longGap;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    <T> CompletableFuture<T> submit(Op<T> op) {
        CompletableFuture<T> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("the store is shutting down"));
            return done;
        }
        queue.add(new Pending<>(op, done, System.nanoTime()));
        return done;
    }

    /** Stops taking writes, commits what is queued (waiting at most the given time), then stops the thread. */
    void close(long waitMillis) {
        running = false;
        if (waitMillis > 0) {
            try {
                thread.join(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thread.isAlive()) {
            closeConnection();
        } else if (!queue.isEmpty()) {
            Log.warnf("Store writer: %d writes still queued at shutdown", queue.size());
        }
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                linger(batch);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.errorf("Store writer: unexpected failure: %s", e.toString());
                for (Pending<?> p : batch) {
                    p.done().completeExceptionally(e);
                }
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Waits for more writes, up to the linger after the group's first one was queued, when recent writes came close
     * enough together that company is likely; then learns the arrival rate from the group.
     */
    private void linger(List<Pending<?>> batch) throws InterruptedException {
        if (lingerNanos > 0 && meanGap < lingerNanos) {
            long until = batch.get(0).queuedAt() + lingerNanos;
            while (batch.size() < maxBatch && running) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Pending<?> next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
                batch.add(next);
                queue.drainTo(batch, maxBatch - batch.size());
            }
        }
        for (Pending<?> p : batch) {
            // a moving average over about the last 8 writes: after a pause the next writes commit at once
            long gap = Math.min(longGap, Math.max(0, p.queuedAt() - lastQueuedAt));
            meanGap += (gap - meanGap) / 8;
            lastQueuedAt = p.queuedAt();
        }
    }

    private void commit(List<Pending<?>> batch) throws InterruptedException {
        long backoff = 50;
        int attempts = 0;
        while (true) {
            Map<Pending<?>, Supplier<?>> results = new IdentityHashMap<>();
            Connection c = null;
            try {
                c = connection();
                c.setAutoCommit(false);
                GroupImpl group = new GroupImpl(this, c);
                for (Pending<?> p : batch) {
                    results.put(p, p.op().apply(c, group));
                }
                for (Step step : group.steps) {
                    step.run(c);
                }
                c.commit();
                report(batch);
                if (attempts > 0) {
                    Log.infof("Store writer: the database is back; %d writes committed", batch.size());
                }
                complete(batch, results);
                return;
            } catch (SQLException sql) {
                rollback(c);
                if (isTransient(sql) || c == null) {
                    closeConnection();
                    if (attempts++ == 0 || attempts % 20 == 0) {
                        Log.warnf("Store writer: the database is unavailable (%s); %d writes wait, retrying",
                                sql.getMessage(), batch.size() + queue.size());
                    }
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, 2000);
                    continue;
                }
                if (batch.size() > 1) {
                    // find the refused write: the others still commit
                    for (Pending<?> p : batch) {
                        commit(List.of(p));
                    }
                    return;
                }
                Log.warnf("Store writer: a write was refused: %s", sql.getMessage());
                batch.get(0).done().completeExceptionally(sql);
                return;
            }
        }
    }

    private void report(List<Pending<?>> batch) {
        long now = System.nanoTime();
        long[] waited = new long[batch.size()];
        for (int i = 0; i < waited.length; i++) {
            waited[i] = now - batch.get(i).queuedAt();
        }
        try {
            listener.committed(batch.size(), waited);
        } catch (RuntimeException e) {
            Log.debugf("Store writer: commit listener failed: %s", e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static void complete(List<Pending<?>> batch, Map<Pending<?>, Supplier<?>> results) {
        for (Pending<?> p : batch) {
            ((CompletableFuture<Object>) p.done()).complete(results.get(p).get());
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            try {
                connection = connections.get();
            } catch (RuntimeException e) {
                throw new SQLRecoverableException("no database connection: " + e.getMessage(), "08001", e);
            }
        }
        return connection;
    }

    private PreparedStatement statement(Connection c, String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            // Prepared on the driver's own connection, beneath the pool's wrapper: the pool tracks every result set
            // of a statement it wrapped until that statement closes (closing the result set does not untrack it),
            // so a statement kept for the life of the connection would hold on to every result set it ever
            // returned. Same physical connection, same transaction; the writer closes these statements itself.
            ps = c.unwrap(Connection.class).prepareStatement(sql);
            statements.put(sql, ps);
        } else {
            ps.clearParameters();
            ps.clearBatch();
        }
        return ps;
    }

    private void closeConnection() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closed with its connection anyway
            }
        }
        statements.clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being dropped anyway
            }
            connection = null;
        }
    }

    private static void rollback(Connection c) {
        if (c != null) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the transaction is abandoned either way
            }
        }
    }

    /** Failures worth waiting out: the database is unreachable, busy, shutting down, or chose us as deadlock victim. */
    static boolean isTransient(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("40P01")
                || state.startsWith("57P") || state.equals("53300") || state.equals("53100"))) {
            return true;
        }
        if (e.getClass().getName().startsWith("org.sqlite")) {
            int code = e.getErrorCode() & 0xff;
            // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN
            return code == 5 || code == 6 || code == 10 || code == 13 || code == 14;
        }
        return e.getCause() instanceof SQLException cause && cause != e && isTransient(cause);
    }

    private static final class GroupImpl implements Group {
        final List<Step> steps = new ArrayList<>();
        final Map<Object, Object> state = new HashMap<>();
        final GroupCommitWriter writer;
        final Connection connection;

        GroupImpl(GroupCommitWriter writer, Connection connection) {
            this.writer = writer;
            this.connection = connection;
        }

        @Override
        public PreparedStatement statement(String sql) throws SQLException {
            return writer.statement(connection, sql);
        }

        @Override
        public void beforeCommit(Step step) {
            steps.add(step);
        }

        @Override
        public Map<Object, Object> state() {
            return state;
        }
    }
}
