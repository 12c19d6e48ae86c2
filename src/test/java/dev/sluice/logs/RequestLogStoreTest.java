package dev.sluice.logs;

import dev.sluice.testing.LocalServices;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request log's statements on both databases the store runs on, migrated by the application's own Flyway
 * scripts: the embedded SQLite file and the machine's PostgreSQL (a database of its own, dropped afterwards).
 */
class RequestLogStoreTest {

    private static Path dir;
    private static String pgName;
    private static DataSource sqlite;
    private static DataSource postgres;

    @BeforeAll
    static void databases() throws Exception {
        dir = Files.createTempDirectory("sluice-logs");
        SQLiteDataSource s = new SQLiteDataSource();
        s.setUrl("jdbc:sqlite:" + dir.resolve("sluice.db") + "?journal_mode=WAL&busy_timeout=10000");
        sqlite = s;
        Flyway.configure().dataSource(sqlite).locations("classpath:db/sqlite").load().migrate();

        pgName = "sluice_logs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + pgName);
        PGSimpleDataSource p = new PGSimpleDataSource();
        p.setUrl(LocalServices.postgres() + pgName + LocalServices.POSTGRES_USER);
        postgres = p;
        Flyway.configure().dataSource(postgres).locations("classpath:db/postgresql").load().migrate();
    }

    @AfterAll
    static void drop() throws Exception {
        if (pgName != null) {
            admin("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(LocalServices.postgres() + "test" + LocalServices.POSTGRES_USER);
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static Stream<String> dialects() {
        return Stream.of("sqlite", "postgresql");
    }

    private static RequestLogStore store(String dialect) throws SQLException {
        DataSource ds = dialect.equals("sqlite") ? sqlite : postgres;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM sluice_request_log");
        }
        return new RequestLogStore(ds);
    }

    static LogEntry row(String requestId, long ts, String key, String model, int status, String session,
                        String body) {
        return new LogEntry(0, requestId, ts, key, session, "chat", "chat", false, model, model, "billed", null, 1,
                status, status == 200 ? "ok" : "failed", status == 200 ? null : "rate_limited", 1500, 200, null,
                10, 5, 0, 0, 20, false, body, body);
    }

    private static void insert(RequestLogStore store, List<LogEntry> rows) throws SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            RequestLogStore.insert(c, rows);
            c.commit();
        }
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void filtersAndCursorPagingNewestFirst(String dialect) throws SQLException {
        RequestLogStore store = store(dialect);
        List<LogEntry> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            rows.add(row("a-" + i, 1_000_000L + i, "kA", i % 2 == 0 ? "m-even" : "m-odd", i % 5 == 0 ? 429 : 200,
                    i < 10 ? "s1" : "s2", null));
        }
        for (int i = 0; i < 5; i++) {
            rows.add(row("b-" + i, 1_000_000L + i, "kB", "m-even", 200, "s1", null));
        }
        insert(store, rows);

        // paging through key A's rows: every row once, newest first
        List<String> seen = new ArrayList<>();
        Long cursor = null;
        int pages = 0;
        long lastId = Long.MAX_VALUE;
        while (true) {
            RequestLogStore.Page page = store.list(new LogFilter("kA", null, null, null, null, null, cursor, 10));
            pages++;
            for (LogEntry e : page.rows()) {
                assertTrue(e.id() < lastId, "newest first");
                lastId = e.id();
                seen.add(e.requestId());
            }
            if (!page.hasMore()) {
                break;
            }
            cursor = page.rows().get(page.rows().size() - 1).id();
        }
        assertEquals(3, pages);
        assertEquals(25, seen.size());
        assertEquals(25, new HashSet<>(seen).size());
        assertEquals("a-24", seen.get(0));

        assertEquals(13, count(store, new LogFilter("kA", "m-even", null, null, null, null, null, 500)));
        assertEquals(13, count(store, new LogFilter("kA", "billed/m-even", null, null, null, null, null, 500)));
        assertEquals(5, count(store, new LogFilter("kA", null, 429, null, null, null, null, 500)));
        assertEquals(15, count(store, new LogFilter(null, null, null, "s1", null, null, null, 500)));
        assertEquals(10, count(store, new LogFilter(null, null, null, null, 1_000_000L, 1_000_005L, null, 500)));
        assertEquals(30, count(store, new LogFilter(null, null, null, null, null, null, null, 500)));
        // the listing leaves bodies to the detail view
        assertTrue(store.list(new LogFilter(null, null, null, null, null, null, null, 5)).rows().stream()
                .allMatch(e -> e.requestBody() == null && e.responseBody() == null));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void aRowIsFoundOnlyForItsOwnKey(String dialect) throws SQLException {
        RequestLogStore store = store(dialect);
        insert(store, List.of(row("req-1", 5, "kA", "m", 200, null, "{\"a\":1}")));
        LogEntry found = store.find("req-1", "kA").orElseThrow();
        assertEquals("{\"a\":1}", found.requestBody());
        assertEquals(20, found.costMicros());
        assertEquals(1500, found.durationUs());
        assertTrue(store.find("req-1", null).isPresent());
        assertTrue(store.find("req-1", "kB").isEmpty());
        assertTrue(store.find("nope", null).isEmpty());
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void retentionDeletesWhatIsOlderThanTheLimit(String dialect) throws SQLException {
        RequestLogStore store = store(dialect);
        long now = System.currentTimeMillis();
        long day = 86_400_000L;
        List<LogEntry> rows = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            rows.add(row("old-" + i, now - 3 * day - i, "k", "m", 200, null, null));
        }
        for (int i = 0; i < 7; i++) {
            rows.add(row("new-" + i, now - i, "k", "m", 200, null, null));
        }
        insert(store, rows);
        assertEquals(12_000, store.deleteOlderThan(now - 2 * day));
        Set<String> left = ids(store);
        assertEquals(7, left.size());
        assertTrue(left.stream().allMatch(id -> id.startsWith("new-")), left.toString());
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void retentionTrimsTheOldestBeyondTheSizeAndRowLimits(String dialect) throws SQLException {
        RequestLogStore store = store(dialect);
        String body = "x".repeat(1000 - 128); // each row weighs 256 + 2 * 872 = 2000
        List<LogEntry> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(row("r-" + i, i, "k", "m", 200, null, body));
        }
        insert(store, rows);
        assertEquals(2000, rows.get(0).bytes());
        // 20,999 bytes hold 10 rows: the 40 oldest go
        assertEquals(40, store.trim(20_999, Long.MAX_VALUE));
        Set<String> left = ids(store);
        assertEquals(10, left.size());
        for (int i = 40; i < 50; i++) {
            assertTrue(left.contains("r-" + i), left.toString());
        }
        assertEquals(0, store.trim(20_999, Long.MAX_VALUE));
        assertEquals(7, store.trim(Long.MAX_VALUE, 3));
        assertEquals(Set.of("r-47", "r-48", "r-49"), ids(store));
    }

    private static int count(RequestLogStore store, LogFilter f) {
        return store.list(f).rows().size();
    }

    private static Set<String> ids(RequestLogStore store) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = store.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT request_id FROM sluice_request_log")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        assertFalse(out.isEmpty() && out.contains(null));
        return out;
    }
}
