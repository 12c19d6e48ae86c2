package dev.sluice.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up check that lets a store whose schema is current skip Flyway: it must know every bundled migration,
 * and say "current" only for a store that has them all, applied successfully.
 */
class DatabaseSchemaTest {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    @Test
    void theListOfSchemaVersionsIsTheBundledMigrations() throws IOException {
        for (String dialect : new String[] {"sqlite", "postgresql"}) {
            Set<String> files;
            try (Stream<Path> list = Files.list(Path.of("src/main/resources/db", dialect))) {
                files = list.map(p -> VERSIONED.matcher(p.getFileName().toString()))
                        .filter(Matcher::matches).map(m -> m.group(1)).collect(Collectors.toSet());
            }
            assertEquals(files, Database.SCHEMA_VERSIONS, "db/" + dialect + " and Database.SCHEMA_VERSIONS differ");
        }
    }

    @Test
    void aNewStoreIsNotCurrentAMigratedOneIs(@TempDir Path dir) throws Exception {
        SQLiteDataSource sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("sluice.db"));
        assertFalse(Database.isCurrent(sqlite), "an empty file has no schema history");

        Flyway.configure().dataSource(sqlite).locations("classpath:db/sqlite").load().migrate();
        assertTrue(Database.isCurrent(sqlite), "every bundled migration is applied");

        try (Connection c = sqlite.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE flyway_schema_history SET success = 0 WHERE version = '12'");
        }
        assertFalse(Database.isCurrent(sqlite), "a failed migration is Flyway's to report");

        try (Connection c = sqlite.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM flyway_schema_history WHERE version = '12'");
        }
        assertFalse(Database.isCurrent(sqlite), "a pending migration is Flyway's to run");
    }
}
