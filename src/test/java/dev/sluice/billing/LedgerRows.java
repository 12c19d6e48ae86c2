package dev.sluice.billing;

import dev.sluice.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads ledger rows straight from the database, to check what the API says against what is stored. */
public final class LedgerRows {

    private LedgerRows() {
    }

    public static List<Map<String, Object>> forKey(Database db, String keyId) {
        try (Connection c = db.dataSource().getConnection()) {
            return query(c, "SELECT * FROM sluice_ledger WHERE key_id = ? ORDER BY id", keyId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of a query with one string parameter, each as column name (lower case) to value. */
    public static List<Map<String, Object>> query(Connection c, String sql, String parameter) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnName(i).toLowerCase(), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    public static long balance(Database db, String keyId) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT balance_micros FROM sluice_keys WHERE id = ?")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long sum(List<Map<String, Object>> rows, String column) {
        return rows.stream().mapToLong(r -> ((Number) r.get(column)).longValue()).sum();
    }

    /** The request rows only (credits left out). */
    public static List<Map<String, Object>> requests(List<Map<String, Object>> rows) {
        return rows.stream().filter(r -> "request".equals(r.get("kind"))).toList();
    }
}
