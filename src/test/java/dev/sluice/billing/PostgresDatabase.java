package dev.sluice.billing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/** A database of its own on the local PostgreSQL for one test class, dropped afterwards. */
public class PostgresDatabase implements QuarkusTestResourceLifecycleManager {

    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String PG_USER = "?user=postgres";

    private String name;

    @Override
    public Map<String, String> start() {
        name = "sluice_reports_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        return Map.of("sluice.store.database-url", PG + name + PG_USER);
    }

    @Override
    public void stop() {
        if (name != null) {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(PG + "test" + PG_USER); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432: " + e.getMessage(), e);
        }
    }
}
