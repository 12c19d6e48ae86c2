package dev.sluice.logs;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer's promise to the request path: an offer never waits; a full queue drops and counts. */
class LogWriterTest {

    /** A connection that accepts every call and does nothing (the inserter under test records the rows). */
    private static Connection connection() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
    }

    private static LogEntry row(int i, String body) {
        return RequestLogStoreTest.row("r-" + i, i, "k", "m", 200, null, body);
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
        CountDownLatch databaseStuck = new CountDownLatch(1);
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        List<LogEntry> stored = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LogWriter writer = new LogWriter(10, 100, LogWriterTest::connection, (c, rows) -> {
            firstBatchStarted.countDown();
            try {
                databaseStuck.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stored.addAll(rows);
        }, new SecretMask(List.of(), 1000), registry);

        assertTrue(writer.offer(row(0, null)));
        assertTrue(firstBatchStarted.await(10, TimeUnit.SECONDS));
        // the writer is stuck on the database: 10 rows fit in the queue, the other 990 are dropped at once
        int accepted = 0;
        for (int i = 1; i <= 1000; i++) {
            if (writer.offer(row(i, null))) {
                accepted++;
            }
        }
        assertEquals(10, accepted);
        assertEquals(990, writer.dropped());
        assertEquals(990, registry.get("sluice_request_log_rows_total").tag("result", "dropped").counter().count());

        databaseStuck.countDown();
        writer.close(10_000);
        assertEquals(11, stored.size());
        assertEquals(11, writer.written());
    }

    @Test
    void bodiesAreMaskedAndCappedBeforeTheyAreStored() throws Exception {
        List<LogEntry> stored = new CopyOnWriteArrayList<>();
        String secret = "configured-upstream-secret-value";
        LogWriter writer = new LogWriter(100, 100, LogWriterTest::connection, (c, rows) -> stored.addAll(rows),
                new SecretMask(List.of(secret), 40), new SimpleMeterRegistry());
        writer.offer(row(1, "key " + secret + " and then a long tail of text well past the cap"));
        writer.offer(row(2, null));
        writer.close(10_000);
        assertEquals(2, stored.size());
        List<String> bodies = new ArrayList<>();
        bodies.add(stored.get(0).requestBody());
        bodies.add(stored.get(0).responseBody());
        for (String b : bodies) {
            assertFalse(b.contains(secret), b);
            assertTrue(b.startsWith("key [redacted] and then"), b);
            assertTrue(b.endsWith(SecretMask.TRUNCATED), b);
        }
        assertEquals(null, stored.get(1).requestBody());
    }
}
