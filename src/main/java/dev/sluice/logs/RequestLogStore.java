package dev.sluice.logs;

import dev.sluice.store.StoreUnavailableException;
import io.quarkus.logging.Log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The request log's rows in the store's database (SQLite or PostgreSQL, the same statements): batched inserts for
 * the {@link LogWriter}, filtered pages and single rows for the API, and deletions for retention. Reads and
 * deletions block: callers run them on worker threads.
 */
final class RequestLogStore {

    static final String TABLE = "sluice_request_log";
    private static final String COLUMNS = "request_id, ts, key_id, session, protocol, operation, stream, "
            + "requested_model, served_model, provider, deployment, attempts, status, outcome, error_code, duration_us, "
            + "overhead_us, ttft_us, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_micros, "
            + "estimated, request_body, response_body, row_bytes";
    /** The listing's columns: the bodies are left to the detail view. */
    private static final String LIST_COLUMNS = COLUMNS.replace("request_body, response_body", "NULL, NULL");
    private static final String INSERT = "INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES "
            + "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
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
                int i = 1;
                ps.setString(i++, e.requestId());
                ps.setLong(i++, e.ts());
                ps.setString(i++, e.keyId());
                ps.setString(i++, e.session());
                ps.setString(i++, e.protocol());
                ps.setString(i++, e.operation());
                ps.setInt(i++, e.stream() ? 1 : 0);
                ps.setString(i++, e.requestedModel());
                ps.setString(i++, e.servedModel());
                ps.setString(i++, e.provider());
                ps.setString(i++, e.deployment());
                ps.setInt(i++, e.attempts());
                ps.setInt(i++, e.status());
                ps.setString(i++, e.outcome());
                ps.setString(i++, e.errorCode());
                ps.setLong(i++, e.durationUs());
                ps.setLong(i++, e.overheadUs());
                if (e.ttftUs() == null) {
                    ps.setNull(i++, Types.BIGINT);
                } else {
                    ps.setLong(i++, e.ttftUs());
                }
                ps.setLong(i++, e.promptTokens());
                ps.setLong(i++, e.completionTokens());
                ps.setLong(i++, e.cachedTokens());
                ps.setLong(i++, e.reasoningTokens());
                ps.setLong(i++, e.costMicros());
                ps.setInt(i++, e.estimated() ? 1 : 0);
                ps.setString(i++, e.requestBody());
                ps.setString(i++, e.responseBody());
                ps.setLong(i, e.bytes());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    Page list(LogFilter f) {
        StringBuilder sql = new StringBuilder("SELECT id, ").append(LIST_COLUMNS).append(" FROM ").append(TABLE)
                .append(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.keyId() != null) {
            sql.append(" AND key_id = ?");
            args.add(f.keyId());
        }
        if (f.model() != null) {
            sql.append(" AND (requested_model = ? OR served_model = ? OR provider || '/' || served_model = ?)");
            args.add(f.model());
            args.add(f.model());
            args.add(f.model());
        }
        if (f.status() != null) {
            sql.append(" AND status = ?");
            args.add(f.status());
        }
        if (f.session() != null) {
            sql.append(" AND session = ?");
            args.add(f.session());
        }
        if (f.from() != null) {
            sql.append(" AND ts >= ?");
            args.add(f.from());
        }
        if (f.to() != null) {
            sql.append(" AND ts < ?");
            args.add(f.to());
        }
        if (f.before() != null) {
            sql.append(" AND id < ?");
            args.add(f.before());
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(f.limit() + 1);
        List<LogEntry> rows = query(sql.toString(), args);
        boolean more = rows.size() > f.limit();
        return new Page(more ? rows.subList(0, f.limit()) : rows, more);
    }

    /** The newest row of a request id, if it is the given key's (any key's when keyId is null). */
    Optional<LogEntry> find(String requestId, String keyId) {
        List<Object> args = new ArrayList<>();
        args.add(requestId);
        if (keyId != null) {
            args.add(keyId);
        }
        return query("SELECT id, " + COLUMNS + " FROM " + TABLE + " WHERE request_id = ?"
                + (keyId != null ? " AND key_id = ?" : "") + " ORDER BY id DESC LIMIT 1", args).stream().findFirst();
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
                Object a = args.get(i);
                if (a instanceof String s) {
                    ps.setString(i + 1, s);
                } else if (a instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    ps.setLong(i + 1, (Long) a);
                }
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
}
