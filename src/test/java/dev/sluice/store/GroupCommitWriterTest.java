package dev.sluice.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The group-committing writer on a real SQLite file: batching (commits counted on the connection, not inferred),
 * waiting out an outage, isolating a bad write.
 */
class GroupCommitWriterTest {

    Path file;
    AtomicInteger outages = new AtomicInteger();
    AtomicInteger connectionsOpened = new AtomicInteger();
    /** COMMITs the database actually received. */
    AtomicInteger commits = new AtomicInteger();
    /** Commits the writer reported to its listener (what the metrics see), and the writes they carried. */
    AtomicInteger reportedCommits = new AtomicInteger();
    AtomicInteger reportedWrites = new AtomicInteger();
    List<long[]> reportedWaits = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Holds the first commit back until released, so that everything submitted meanwhile queues behind it. */
    CountDownLatch firstCommit = new CountDownLatch(0);
    GroupCommitWriter writer;

    /**
     * Registers the drivers as this class's loader sees them: after Quarkus tests ran in the same JVM, the copies
     * DriverManager knows may belong to an application class loader that this class cannot use.
     */
    @BeforeAll
    static void drivers() throws SQLException {
        DriverManager.registerDriver(new org.sqlite.JDBC());
    }

    @BeforeEach
    void open() throws Exception {
        file = Files.createTempFile("writer", ".db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        }
        writer = new GroupCommitWriter("test-writer", () -> {
            if (outages.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("database down");
            }
            connectionsOpened.incrementAndGet();
            try {
                return counting(DriverManager.getConnection("jdbc:sqlite:" + file + "?journal_mode=WAL"));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, 1000, (writes, waited) -> {
            reportedCommits.incrementAndGet();
            reportedWrites.addAndGet(writes);
            reportedWaits.add(waited);
        });
    }

    @AfterEach
    void close() throws Exception {
        writer.close(5000);
        Files.deleteIfExists(file);
    }

    /** The connection, counting its commits; the first one waits for {@link #firstCommit}. */
    private Connection counting(Connection real) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        firstCommit.await(30, TimeUnit.SECONDS);
                        commits.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private CompletableFuture<Integer> insert(int id, String value) {
        return writer.submit((c, group) -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
                ps.setInt(1, id);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            return () -> id;
        });
    }

    private int count() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void manyWritesShareFewTransactionsAndAllCommit() throws Exception {
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            all.add(insert(i, "v" + i));
        }
        for (CompletableFuture<Integer> f : all) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertEquals(2000, count());
        assertTrue(commits.get() < 2000, "fewer commits than writes: " + commits.get());
        assertEquals(commits.get(), reportedCommits.get(), "every commit is reported to the metrics");
        assertEquals(2000, reportedWrites.get());
    }

    /**
     * Eight threads write at once while a commit is in progress (held back until they are done, so that the test
     * does not depend on how fast this machine is): everything they queued shares the next transactions, at most
     * 1000 writes each, so 2000 writes cost three commits, where one commit per write would cost 2000.
     */
    @Test
    void concurrentWritesQueuedDuringACommitShareTheNextOnes() throws Exception {
        firstCommit = new CountDownLatch(1);
        CompletableFuture<Integer> first = insert(-1, "first");
        List<CompletableFuture<Integer>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> submitters = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int from = t * 250;
                submitters.add(threads.submit(() -> {
                    for (int i = from; i < from + 250; i++) {
                        all.add(insert(i, "v" + i));
                    }
                }));
            }
            for (Future<?> s : submitters) {
                s.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdown();
        }
        firstCommit.countDown();
        first.get(30, TimeUnit.SECONDS);
        for (CompletableFuture<Integer> f : all) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertEquals(2001, count());
        assertTrue(commits.get() <= 3, "2001 writes, at most 1000 per transaction: " + commits.get() + " commits");
        assertEquals(commits.get(), reportedCommits.get());
        assertEquals(2001, reportedWrites.get());
        long waits = reportedWaits.stream().mapToLong(w -> w.length).sum();
        assertEquals(2001, waits, "a commit wait is recorded for every write");
        assertTrue(reportedWaits.stream().flatMapToLong(java.util.Arrays::stream).allMatch(n -> n >= 0));
    }

    /**
     * With a linger, writes that come one after another from a submitting thread still all commit, each exactly
     * once, and lone writes after a pause commit too (a linger never holds a write for company that does not come).
     */
    @Test
    void writesWithALingerAllCommitOnce() throws Exception {
        GroupCommitWriter lingering = new GroupCommitWriter("lingering-writer", () -> {
            try {
                return DriverManager.getConnection("jdbc:sqlite:" + file + "?journal_mode=WAL");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, 1000, 1_000_000, GroupCommitWriter.CommitListener.NONE);
        try {
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int id = i;
                all.add(lingering.submit((c, group) -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
                        ps.setInt(1, id);
                        ps.setString(2, "v");
                        ps.executeUpdate();
                    }
                    return () -> id;
                }));
            }
            for (CompletableFuture<Integer> f : all) {
                f.get(30, TimeUnit.SECONDS);
            }
            for (int i = 500; i < 505; i++) {
                int id = i;
                Thread.sleep(20);
                assertEquals(id, lingering.submit((c, group) -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
                        ps.setInt(1, id);
                        ps.setString(2, "alone");
                        ps.executeUpdate();
                    }
                    return () -> id;
                }).get(30, TimeUnit.SECONDS));
            }
        } finally {
            lingering.close(5000);
        }
        assertEquals(505, count());
    }

    @Test
    void writesQueuedDuringAnOutageWaitAndCommitWhenTheDatabaseIsBack() throws Exception {
        outages.set(5);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(insert(i, "v" + i));
        }
        for (CompletableFuture<Integer> f : all) {
            assertTrue(f.get(30, TimeUnit.SECONDS) >= 0);
        }
        assertEquals(0, outages.get(), "the writer kept trying through the outage");
        assertEquals(50, count(), "nothing queued was dropped");
    }

    @Test
    void aRefusedWriteFailsAloneAndTheOthersCommit() throws Exception {
        insert(1, "first").get(10, TimeUnit.SECONDS);
        List<CompletableFuture<Integer>> batch = new ArrayList<>();
        for (int i = 2; i < 20; i++) {
            batch.add(insert(i, "v"));
        }
        CompletableFuture<Integer> duplicate = insert(1, "duplicate key");
        CompletableFuture<Integer> nullValue = insert(99, null);
        for (CompletableFuture<Integer> f : batch) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThrows(ExecutionException.class, () -> duplicate.get(10, TimeUnit.SECONDS));
        assertThrows(ExecutionException.class, () -> nullValue.get(10, TimeUnit.SECONDS));
        assertEquals(19, count());
    }

    /**
     * Memory stays flat however many groups commit: the statements the writer keeps for the life of its connection
     * must not hold on to the result sets they returned, as statements wrapped by the connection pool do (the pool
     * Sluice runs on, with its default resource tracking). A leak here grew the heap by about 25 bytes per request.
     */
    @Test
    void reusedStatementsDoNotRetainTheirResultSets() throws Exception {
        io.agroal.api.AgroalDataSource pool = io.agroal.api.AgroalDataSource.from(
                new io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier()
                        .connectionPoolConfiguration(p -> p.maxSize(2).connectionFactoryConfiguration(
                                f -> f.jdbcUrl("jdbc:sqlite:" + file).trackJdbcResources(true))));
        GroupCommitWriter pooled = new GroupCommitWriter("pooled-writer", () -> {
            try {
                return pool.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, 1);
        List<java.lang.ref.WeakReference<ResultSet>> returned = new ArrayList<>();
        try {
            insert(1, "row").get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 2000; i++) {
                pooled.submit((c, group) -> {
                    PreparedStatement ps = group.statement("SELECT v FROM t WHERE id = ?");
                    ps.setInt(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        returned.add(new java.lang.ref.WeakReference<>(rs));
                        assertTrue(rs.next());
                    }
                    return () -> null;
                }).get(10, TimeUnit.SECONDS);
            }
            // while the writer and its statements live on, the closed result sets must be collectable
            long retained = returned.size();
            for (int i = 0; i < 20 && retained > 10; i++) {
                System.gc();
                Thread.sleep(50);
                retained = returned.stream().map(java.lang.ref.Reference::get).filter(java.util.Objects::nonNull)
                        .distinct().count();
            }
            assertTrue(retained <= 10, retained + " of 2000 closed result sets are still held");
        } finally {
            pooled.close(5000);
            pool.close();
        }
    }

    @Test
    void transientFailuresAreRecognised() {
        assertTrue(GroupCommitWriter.isTransient(new SQLRecoverableException("gone")));
        assertTrue(GroupCommitWriter.isTransient(new SQLException("deadlock", "40P01")));
        assertTrue(GroupCommitWriter.isTransient(new SQLException("connection refused", "08001")));
        assertTrue(!GroupCommitWriter.isTransient(new SQLException("duplicate key", "23505")));
    }
}
