package dev.sluice.store;

import dev.sluice.config.SluiceConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.flyway.FlywayDataSource;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The relational store in use: the embedded SQLite file {@code <data-dir>/sluice.db} (WAL journal, a full fsync
 * per commit), or PostgreSQL when {@code sluice.store.database-url} is set. The schema is migrated with Flyway
 * before anything reads it; both databases run the same statements.
 */
@ApplicationScoped
public class Database {

    public enum Dialect {
        SQLITE, POSTGRESQL
    }

    private final AgroalDataSource dataSource;
    private final Dialect dialect;

    @Inject
    public Database(StoreConfig config, SluiceConfig sluice,
                    @io.quarkus.agroal.DataSource("embedded") Instance<AgroalDataSource> embedded,
                    @io.quarkus.agroal.DataSource("postgres") Instance<AgroalDataSource> postgres,
                    @FlywayDataSource("embedded") Instance<Flyway> embeddedFlyway,
                    @FlywayDataSource("postgres") Instance<Flyway> postgresFlyway) {
        Flyway flyway;
        if (config.databaseUrl().filter(s -> !s.isBlank()).isPresent()) {
            dialect = Dialect.POSTGRESQL;
            dataSource = postgres.get();
            flyway = postgresFlyway.get();
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
            flyway = embeddedFlyway.get();
            Log.infof("Store: embedded (%s)", dir.resolve("sluice.db"));
        }
        flyway.migrate();
    }

    public AgroalDataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }
}
