package dev.sluice.logs;

import dev.sluice.billing.LedgerRows;
import dev.sluice.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reads request-log rows straight from the database, waiting for the writer where a test needs its rows. */
final class LogRows {

    private LogRows() {
    }

    static List<Map<String, Object>> forKey(Database db, String keyId) {
        try (Connection c = db.dataSource().getConnection()) {
            return LedgerRows.query(c, "SELECT * FROM sluice_request_log WHERE key_id = ? ORDER BY id", keyId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long count(Database db, String keyId) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sluice_request_log WHERE key_id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the key has {@code expected} rows (the writer is asynchronous); returns the count reached. */
    static long awaitCount(Database db, String keyId, long expected, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long n = count(db, keyId);
        while (n < expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            n = count(db, keyId);
        }
        return n;
    }
}
