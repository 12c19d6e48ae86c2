package dev.sluice.store;

import dev.sluice.config.SluiceConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.flyway.FlywayDataSource;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The relational store in use: the embedded SQLite file {@code <data-dir>/sluice.db} (WAL journal, a full fsync
 * per commit), or PostgreSQL when {@code sluice.store.database-url} is set. The schema is migrated with Flyway
 * before anything reads it; both databases run the same statements. A store whose schema history already lists
 * every bundled migration is not handed to Flyway at all (one query instead of loading and running the migrator:
 * a restart's usual case), so an applied migration edited afterwards is caught only when a new one is added.
 */
@ApplicationScoped
public class Database {

    public enum Dialect {
        SQLITE, POSTGRESQL
    }

    /**
     * The versions of the bundled migrations ({@code db/sqlite} and {@code db/postgresql} hold the same ones);
     * {@code DatabaseSchemaTest} keeps this list in step with the files.
     */
    static final Set<String> SCHEMA_VERSIONS = Set.of("1", "2", "4", "10", "11", "12");

    private final AgroalDataSource dataSource;
    private final Dialect dialect;

    @Inject
    public Database(StoreConfig config, SluiceConfig sluice,
                    @io.quarkus.agroal.DataSource("embedded") Instance<AgroalDataSource> embedded,
                    @io.quarkus.agroal.DataSource("postgres") Instance<AgroalDataSource> postgres,
                    @FlywayDataSource("embedded") Instance<Flyway> embeddedFlyway,
                    @FlywayDataSource("postgres") Instance<Flyway> postgresFlyway) {
        Instance<Flyway> flyway;
        if (config.databaseUrl().filter(s -> !s.isBlank()).isPresent()) {
            dialect = Dialect.POSTGRESQL;
            dataSource = postgres.get();
            flyway = postgresFlyway;
            Log.info("Store: PostgreSQL");
        } else {
            Path dir = Path.of(sluice.dataDir());
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the data directory " + dir
                        + " (set SLUICE_DATA_DIR to a writable directory)", e);
            }
            dialect = Dialect.SQLITE;
            dataSource = embedded.get();
            flyway = embeddedFlyway;
            Log.infof("Store: embedded (%s)", dir.resolve("sluice.db"));
        }
        if (isCurrent(dataSource)) {
            Log.debug("Store schema is current: nothing to migrate");
        } else {
            flyway.get().migrate();
        }
    }

    /**
     * Whether the store's Flyway history lists every bundled migration as applied successfully. False on any
     * doubt (no history table yet, a failed migration, a read error): Flyway then decides, as it always did.
     */
    static boolean isCurrent(DataSource dataSource) {
        Set<String> applied = new HashSet<>();
        try (Connection c = dataSource.getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, success FROM flyway_schema_history")) {
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false;
                }
                applied.add(rs.getString(1));
            }
        } catch (SQLException e) {
            return false;
        }
        return applied.containsAll(SCHEMA_VERSIONS);
    }

    public AgroalDataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }
}
