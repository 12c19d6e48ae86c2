package dev.sluice.logs;

import dev.sluice.store.Quietly;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Writes request-log rows off the request path: a bounded queue that a request only ever offers to (a full queue
 * drops the row and counts it in {@code sluice_request_log_rows_total{result="dropped"}}, it never waits), and one
 * thread that masks what the client chose (bodies, session, model, request id), caps the bodies and inserts whatever is queued in one transaction. It does not share the
 * ledger's writer: a log row is a record, not money, and must never delay a ledger commit or be waited for.
 */
final class LogWriter {

    /** Inserts a batch within the connection's transaction. */
    interface Inserter {
        void insert(Connection connection, List<LogEntry> rows) throws SQLException;
    }

    private static final int ATTEMPTS = 3;

    private final BlockingQueue<LogEntry> queue;
    private final Supplier<Connection> connections;
    private final Inserter inserter;
    private final SecretMask mask;
    private final int maxBatch;
    private final Counter written;
    private final Counter dropped;
    private final Thread thread;
    private volatile boolean running = true;
    private Connection connection;

    LogWriter(int capacity, int maxBatch, Supplier<Connection> connections, Inserter inserter, SecretMask mask,
              MeterRegistry registry) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
        this.maxBatch = Math.max(1, maxBatch);
        this.connections = connections;
        this.inserter = inserter;
        this.mask = mask;
        this.written = Counter.builder("sluice_request_log_rows_total").tag("result", "written")
                .description("Request-log rows written, or dropped because the queue was full or the database refused them")
                .register(registry);
        this.dropped = Counter.builder("sluice_request_log_rows_total").tag("result", "dropped")
                .description("Request-log rows written, or dropped because the queue was full or the database refused them")
                .register(registry);
        this.thread = new Thread(this::run, "sluice-request-log-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a row; false (and counted as dropped) when the queue is full or the writer has stopped. */
    boolean offer(LogEntry row) {
        if (running && queue.offer(row)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    double written() {
        return written.count();
    }

    double dropped() {
        return dropped.count();
    }

    /** Stops taking rows, writes what is queued (waiting at most the given time), then stops the thread. */
    void close(long waitMillis) {
        running = false;
        try {
            thread.join(Math.max(1, waitMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty()) {
            Log.warnf("Request log: %d rows still queued at shutdown were not written", queue.size());
        }
        closeConnection();
    }

    private void run() {
        List<LogEntry> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                LogEntry first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(masked(batch));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Log.errorf("Request log: unexpected failure, %d rows lost: %s", batch.size(), e.toString());
                dropped.increment(batch.size());
            } finally {
                batch.clear();
            }
        }
    }

    private List<LogEntry> masked(List<LogEntry> batch) {
        List<LogEntry> out = new ArrayList<>(batch.size());
        for (LogEntry e : batch) {
            try {
                out.add(e.masked(mask));
            } catch (RuntimeException | StackOverflowError failure) {
                // a body that cannot be masked is not stored at all; the row itself still is
                Log.warnf("Request log: the bodies of request %s could not be masked and were left out: %s",
                        mask.mask(e.requestId()), failure.getClass().getSimpleName());
                out.add(e.withoutBodies().masked(mask));
            }
        }
        return out;
    }

    private void write(List<LogEntry> rows) throws InterruptedException {
        long backoff = 100;
        for (int attempt = 1; ; attempt++) {
            Connection c = null;
            try {
                c = connection();
                c.setAutoCommit(false);
                inserter.insert(c, rows);
                c.commit();
                written.increment(rows.size());
                return;
            } catch (SQLException | RuntimeException e) {
                Quietly.rollback(c);
                closeConnection();
                if (attempt >= ATTEMPTS || !running) {
                    // rows wait in memory for no one: past a few tries they are dropped, never the request delayed
                    Log.warnf("Request log: %d rows dropped, the database refused them: %s", rows.size(),
                            e.getMessage());
                    dropped.increment(rows.size());
                    return;
                }
                Thread.sleep(backoff);
                backoff *= 4;
            }
        }
    }

    private Connection connection() {
        if (connection == null) {
            connection = connections.get();
        }
        return connection;
    }

    private void closeConnection() {
        Quietly.close(connection);
        connection = null;
    }
}
