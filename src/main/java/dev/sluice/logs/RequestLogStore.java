package dev.sluice.logs;

import dev.sluice.store.StoreUnavailableException;
import io.quarkus.logging.Log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The request log's rows in the store's database (SQLite or PostgreSQL, the same statements): batched inserts for
 * the {@link LogWriter}, filtered pages and single rows for the API, and deletions for retention. Reads and
 * deletions block: callers run them on worker threads.
 */
final class RequestLogStore {

    static final String TABLE = "sluice_request_log";

    /** A column as an insert fills it: its name, its JDBC type, and its value in a row. */
    private record Column(String name, int type, Function<LogEntry, Object> value) {

        void bind(PreparedStatement ps, int index, LogEntry row) throws SQLException {
            Object v = value.apply(row);
            // flags are SMALLINT 0/1: SQLite has no boolean type
            ps.setObject(index, v instanceof Boolean flag ? (flag ? 1 : 0) : v, type);
        }
    }

    /**
     * The table's columns in the order they are written, each next to the value that fills it; {@link #read} takes
     * them back by position after {@code id}.
     */
    private static final List<Column> WRITTEN = List.of(
            new Column("request_id", Types.VARCHAR, LogEntry::requestId),
            new Column("ts", Types.BIGINT, LogEntry::ts),
            new Column("key_id", Types.VARCHAR, LogEntry::keyId),
            new Column("session", Types.VARCHAR, LogEntry::session),
            new Column("protocol", Types.VARCHAR, LogEntry::protocol),
            new Column("operation", Types.VARCHAR, LogEntry::operation),
            new Column("stream", Types.SMALLINT, LogEntry::stream),
            new Column("requested_model", Types.VARCHAR, LogEntry::requestedModel),
            new Column("served_model", Types.VARCHAR, LogEntry::servedModel),
            new Column("provider", Types.VARCHAR, LogEntry::provider),
            new Column("deployment", Types.VARCHAR, LogEntry::deployment),
            new Column("attempts", Types.INTEGER, LogEntry::attempts),
            new Column("status", Types.INTEGER, LogEntry::status),
            new Column("outcome", Types.VARCHAR, LogEntry::outcome),
            new Column("error_code", Types.VARCHAR, LogEntry::errorCode),
            new Column("duration_us", Types.BIGINT, LogEntry::durationUs),
            new Column("overhead_us", Types.BIGINT, LogEntry::overheadUs),
            new Column("ttft_us", Types.BIGINT, LogEntry::ttftUs),
            new Column("prompt_tokens", Types.BIGINT, LogEntry::promptTokens),
            new Column("completion_tokens", Types.BIGINT, LogEntry::completionTokens),
            new Column("cached_tokens", Types.BIGINT, LogEntry::cachedTokens),
            new Column("reasoning_tokens", Types.BIGINT, LogEntry::reasoningTokens),
            new Column("cost_micros", Types.BIGINT, LogEntry::costMicros),
            new Column("estimated", Types.SMALLINT, LogEntry::estimated),
            new Column("request_body", Types.VARCHAR, LogEntry::requestBody),
            new Column("response_body", Types.VARCHAR, LogEntry::responseBody),
            new Column("row_bytes", Types.BIGINT, LogEntry::bytes));
    private static final String COLUMNS = WRITTEN.stream().map(Column::name).collect(Collectors.joining(", "));
    /** The listing's columns: the bodies are left to the detail view. */
    private static final String LIST_COLUMNS = COLUMNS.replace("request_body, response_body", "NULL, NULL");
    private static final String INSERT = "INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES ("
            + String.join(",", Collections.nCopies(WRITTEN.size(), "?")) + ")";
    /** Rows deleted per statement, so that retention never holds the database's write lock for long. */
    private static final int DELETE_CHUNK = 5000;

    /** A page of rows, newest first. */
    record Page(List<LogEntry> rows, boolean hasMore) {
    }

    private final DataSource dataSource;

    RequestLogStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException("no database connection: " + e.getMessage(), e);
        }
    }

    static void insert(Connection c, List<LogEntry> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (LogEntry e : rows) {
                for (int i = 0; i < WRITTEN.size(); i++) {
                    WRITTEN.get(i).bind(ps, i + 1, e);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    Page list(LogFilter f) {
        Conditions where = new Conditions()
                .and("key_id = ?", f.keyId())
                .and("(requested_model = ? OR served_model = ? OR provider || '/' || served_model = ?)", f.model())
                .and("status = ?", f.status())
                .and("session = ?", f.session())
                .and("ts >= ?", f.from())
                .and("ts < ?", f.to())
                .and("id < ?", f.before());
        List<LogEntry> rows = query("SELECT id, " + LIST_COLUMNS + " FROM " + TABLE + " WHERE 1 = 1" + where.sql
                + " ORDER BY id DESC LIMIT " + (f.limit() + 1), where.args);
        boolean more = rows.size() > f.limit();
        return new Page(more ? rows.subList(0, f.limit()) : rows, more);
    }

    /** The newest row of a request id, if it is the given key's (any key's when keyId is null). */
    Optional<LogEntry> find(String requestId, String keyId) {
        Conditions where = new Conditions().and("request_id = ?", requestId).and("key_id = ?", keyId);
        return query("SELECT id, " + COLUMNS + " FROM " + TABLE + " WHERE 1 = 1" + where.sql
                + " ORDER BY id DESC LIMIT 1", where.args).stream().findFirst();
    }

    /** Deletes the rows of requests that arrived before the cutoff; returns how many. */
    int deleteOlderThan(long cutoffMillis) throws SQLException {
        return deleteChunks("SELECT id FROM " + TABLE + " WHERE ts < ? ORDER BY id LIMIT " + DELETE_CHUNK,
                cutoffMillis);
    }

    /** Deletes the oldest rows until at most {@code maxRows} remain and they weigh at most {@code maxBytes}. */
    int trim(long maxBytes, long maxRows) throws SQLException {
        long lastToDelete = -1;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams the scan below only inside a transaction
            try (PreparedStatement ps = c.prepareStatement("SELECT id, row_bytes FROM " + TABLE
                    + " ORDER BY id DESC")) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    long rows = 0;
                    long bytes = 0;
                    while (rs.next()) {
                        rows++;
                        bytes += rs.getLong(2);
                        if (rows > maxRows || bytes > maxBytes) {
                            lastToDelete = rs.getLong(1);
                            break;
                        }
                    }
                }
            } finally {
                c.rollback();
            }
        }
        return lastToDelete < 0 ? 0
                : deleteChunks("SELECT id FROM " + TABLE + " WHERE id <= ? ORDER BY id LIMIT " + DELETE_CHUNK,
                lastToDelete);
    }

    private int deleteChunks(String select, long parameter) throws SQLException {
        int total = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id IN (" + select + ")")) {
            c.setAutoCommit(true);
            while (true) {
                ps.setLong(1, parameter);
                int n = ps.executeUpdate();
                total += n;
                if (n < DELETE_CHUNK) {
                    return total;
                }
            }
        }
    }

    private List<LogEntry> query(String sql, List<Object> args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<LogEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            Log.warnf("Request log read failed: %s", e.getMessage());
            throw new StoreUnavailableException("The request log cannot be read right now", e);
        }
    }

    private static LogEntry read(ResultSet rs) throws SQLException {
        long ttft = rs.getLong(19);
        Long ttftUs = rs.wasNull() ? null : ttft;
        return new LogEntry(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getInt(8) != 0, rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getInt(13), rs.getInt(14), rs.getString(15), rs.getString(16),
                rs.getLong(17), rs.getLong(18), ttftUs, rs.getLong(20), rs.getLong(21), rs.getLong(22),
                rs.getLong(23), rs.getLong(24), rs.getInt(25) != 0, rs.getString(26), rs.getString(27));
    }

    /** The conditions of a query: each one whose value is set adds its clause and binds the value to its every ?. */
    private static final class Conditions {
        final StringBuilder sql = new StringBuilder();
        final List<Object> args = new ArrayList<>();

        Conditions and(String clause, Object value) {
            if (value != null) {
                sql.append(" AND ").append(clause);
                clause.chars().filter(ch -> ch == '?').forEach(ch -> args.add(value));
            }
            return this;
        }
    }
}
