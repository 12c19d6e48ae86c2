package dev.sluice.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ledger writes are idempotent, on the embedded SQLite store and on the local PostgreSQL (a database created for
 * this run), both migrated by Flyway exactly as Sluice migrates them: a group commit whose COMMIT succeeded but
 * reported a failure is retried by the writer and charges nothing twice; a line written again later is stored,
 * and charged, once; and a client's request id, which clients choose, can be shared by several lines.
 */
class LedgerBatchTest {

    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String PG_USER = "?user=postgres";

    private String url;
    private String pgDatabase;
    private Path sqliteFile;
    private GroupCommitWriter writer;
    private final AtomicInteger commitFailures = new AtomicInteger();
    private final AtomicInteger commitsReported = new AtomicInteger();
    private final AtomicInteger commitsFailedAfterCommitting = new AtomicInteger();

    /**
     * Registers the drivers as this class's loader sees them: after Quarkus tests ran in the same JVM, the copies
     * DriverManager knows may belong to an application class loader that this class cannot use.
     */
    @BeforeAll
    static void drivers() throws SQLException {
        DriverManager.registerDriver(new org.sqlite.JDBC());
        DriverManager.registerDriver(new org.postgresql.Driver());
    }

    private void open(String dialect) throws Exception {
        if (dialect.equals("sqlite")) {
            sqliteFile = Files.createTempFile("ledger", ".db");
            url = "jdbc:sqlite:" + sqliteFile + "?journal_mode=WAL";
            Flyway.configure().dataSource(url, null, null).locations("classpath:db/sqlite").load().migrate();
        } else {
            pgDatabase = "sluice_ledger_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(PG + "test" + PG_USER); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + pgDatabase);
            }
            url = PG + pgDatabase + PG_USER;
            Flyway.configure().dataSource(url, null, null).locations("classpath:db/postgresql").load().migrate();
        }
        writer = new GroupCommitWriter("ledger-test-writer", this::connection, 1000,
                (writes, waited) -> commitsReported.incrementAndGet());
    }

    @AfterEach
    void close() throws Exception {
        if (writer != null) {
            writer.close(5000);
        }
        if (sqliteFile != null) {
            Files.deleteIfExists(sqliteFile);
        }
        if (pgDatabase != null) {
            try (Connection c = DriverManager.getConnection(PG + "test" + PG_USER); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + pgDatabase + " WITH (FORCE)");
            }
        }
    }

    /**
     * A connection whose commit, while {@link #commitFailures} is positive, commits and then reports a lost
     * connection: what a client sees when the network fails between the server's commit and its answer.
     */
    private Connection connection() {
        try {
            Connection real = DriverManager.getConnection(url);
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        try {
                            Object result = method.invoke(real, args);
                            if (method.getName().equals("commit")
                                    && commitFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                                commitsFailedAfterCommitting.incrementAndGet();
                                real.close();
                                throw new SQLRecoverableException("connection reset while committing", "08006");
                            }
                            return result;
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void createKey(String id) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sluice_keys (id, name, secret_hash, hint, unlimited, created_at, updated_at) "
                        + "VALUES (?, ?, 'h', 'hint', 0, 1, 1)")) {
            ps.setString(1, id);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    private static LedgerEntry charge(String keyId, String requestId, long micros) {
        return new LedgerEntry(LedgerEntry.newLineId(), System.currentTimeMillis(), LedgerEntry.REQUEST, keyId,
                requestId, "chat", "m", "p", "m", "p", false, 10, 5, 0, 0, 0, micros, -micros, true, false, 3, 200,
                "ok", null, null);
    }

    private CompletableFuture<Balance> append(LedgerEntry entry) {
        return writer.submit((c, group) -> LedgerBatch.stage(group, entry));
    }

    private long[] stored(String keyId) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
                "SELECT (SELECT COUNT(*) FROM sluice_ledger WHERE key_id = ?), "
                        + "(SELECT COALESCE(SUM(amount_micros), 0) FROM sluice_ledger WHERE key_id = ?), "
                        + "(SELECT balance_micros FROM sluice_keys WHERE id = ?)")) {
            ps.setString(1, keyId);
            ps.setString(2, keyId);
            ps.setString(3, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aGroupWhoseCommitSucceededButReportedAFailureChargesOnce(String dialect) throws Exception {
        open(dialect);
        createKey("k1");
        createKey("k2");
        commitFailures.set(1);
        List<CompletableFuture<Balance>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(append(charge(i % 2 == 0 ? "k1" : "k2", "req-" + i, 100)));
        }
        for (CompletableFuture<Balance> f : all) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertEquals(1, commitsFailedAfterCommitting.get(), "a commit reported a failure after committing");
        assertEquals(0, commitFailures.get());
        // every line once, every balance changed once: the retry found its lines already stored
        assertEquals(25, stored("k1")[0]);
        assertEquals(-2500, stored("k1")[1]);
        assertEquals(-2500, stored("k1")[2]);
        assertEquals(-2500, stored("k2")[2]);
        // k1's last write (the 49th) reports the durable balance after the retry
        assertEquals(-2500, all.get(48).get().micros());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aLineWrittenAgainIsStoredAndChargedOnce(String dialect) throws Exception {
        open(dialect);
        createKey("k1");
        LedgerEntry line = charge("k1", "req-1", 700);
        Balance first = append(line).get(30, TimeUnit.SECONDS);
        Balance replayed = append(line).get(30, TimeUnit.SECONDS);
        // the same line twice in one group too
        CompletableFuture<Balance> a = writer.submit((c, group) -> {
            LedgerBatch.stage(group, line);
            return LedgerBatch.stage(group, line);
        });
        a.get(30, TimeUnit.SECONDS);
        assertEquals(-700, first.micros());
        assertEquals(-700, replayed.micros(), "the replay changed nothing and reports the stored balance");
        assertEquals(first.seq(), replayed.seq());
        long[] s = stored("k1");
        assertEquals(1, s[0]);
        assertEquals(-700, s[2]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void linesMayShareAClientRequestIdAndLargeGroupsAreWrittenWhole(String dialect) throws Exception {
        open(dialect);
        createKey("k1");
        List<CompletableFuture<Balance>> all = new ArrayList<>();
        // a large group, all with the same client-chosen request id
        for (int i = 0; i < 817; i++) {
            all.add(append(charge("k1", "same-client-request-id", 3)));
        }
        for (CompletableFuture<Balance> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
        long lines = 817;
        long[] s = stored("k1");
        assertEquals(lines, s[0]);
        assertEquals(-3 * lines, s[1]);
        assertEquals(s[1], s[2], "the balance is the sum of the ledger");
        assertNotEquals(0, commitsReported.get());
        assertTrue(commitsReported.get() < lines, "lines share transactions");
    }
}
