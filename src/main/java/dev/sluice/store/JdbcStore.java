package dev.sluice.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Keys, ledger and reports over JDBC: the same statements on the embedded SQLite file and on PostgreSQL.
 *
 * <p>Every write goes through one {@link GroupCommitWriter}. Within a transaction, the ledger lines are written
 * by a {@link LedgerBatch}: each line at most once, whatever retries happen, and each key's balance changed by
 * the lines actually inserted, in the same transaction. A balance therefore always equals the sum of its key's
 * ledger amounts.
 */
@ApplicationScoped
public class JdbcStore implements KeyStore, Ledger, UsageReports {

    /** The columns of a key's settings, in the order {@link #bindSettings} binds them. */
    private static final String SETTINGS_COLUMNS = "name, models, rpm, tpm, max_parallel, unlimited, expires_at, "
            + "metadata, log_requests, log_bodies, response_cache";
    private static final String KEY_COLUMNS = "id, name, secret_hash, hint, models, rpm, tpm, max_parallel, unlimited, "
            + "expires_at, metadata, created_at, updated_at, revoked_at, balance_micros, balance_seq, log_requests, log_bodies, "
            + "response_cache";
    /**
     * A key's new version: the current time, or one more than its version when that is not later (clocks of
     * replicas differ), so that versions only ever grow.
     */
    private static final String NEXT_VERSION = "updated_at = CASE WHEN updated_at >= ? THEN updated_at + 1 ELSE ? END";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    /** The longest commit linger accepted: a response's last bytes wait for it. */
    private static final long MAX_LINGER_NANOS = 1_000_000;

    private final Database database;
    private final ObjectMapper mapper;
    private final GroupCommitWriter writer;

    @Inject
    public JdbcStore(Database database, ObjectMapper mapper, StoreConfig config, MeterRegistry registry) {
        this.database = database;
        this.mapper = mapper;
        this.writer = new GroupCommitWriter("sluice-store-writer", () -> {
            try {
                return database.dataSource().getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, config.maxBatch(), Math.min(config.commitLingerUs() * 1_000L, MAX_LINGER_NANOS), commitMetrics(registry));
    }

    /**
     * {@code sluice_ledger_batch_size}: writes (ledger lines, key changes) per transaction; its count is the number
     * of commits. {@code sluice_ledger_commit_seconds}: how long each write waited from being queued until its
     * transaction committed, which is what a response's final bytes wait for.
     */
    private static GroupCommitWriter.CommitListener commitMetrics(MeterRegistry registry) {
        DistributionSummary batchSize = DistributionSummary.builder("sluice_ledger_batch_size")
                .description("Writes committed per transaction by the group-committing store writer")
                .serviceLevelObjectives(1, 2, 5, 10, 50, 100, 500, 1000)
                .register(registry);
        Timer commitWait = Timer.builder("sluice_ledger_commit")
                .description("Time from a write being queued until its transaction committed")
                .serviceLevelObjectives(Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
                        Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
                        Duration.ofMillis(100), Duration.ofSeconds(1))
                .register(registry);
        return (writes, waited) -> {
            batchSize.record(writes);
            for (long nanos : waited) {
                commitWait.record(nanos, TimeUnit.NANOSECONDS);
            }
        };
    }

    /** Commits what is queued before the datasource goes away. */
    void onStop(@Observes ShutdownEvent event) {
        writer.close(10_000);
    }

    @PreDestroy
    void close() {
        writer.close(0);
    }

    // ---- writes ------------------------------------------------------------------------------------------------

    @Override
    public Uni<Balance> append(LedgerEntry entry) {
        return Uni.createFrom().completionStage(() -> writer.submit((c, group) -> LedgerBatch.stage(group, entry)));
    }

    @Override
    public Uni<KeyRecord> create(KeyRecord key, long creditMicros, String creditNote) {
        return Uni.createFrom().completionStage(() -> writer.submit((c, group) -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sluice_keys (id, secret_hash, hint, "
                    + "created_at, updated_at, revoked_at, balance_micros, balance_seq, " + SETTINGS_COLUMNS
                    + ") VALUES (?,?,?,?,?,?,0,0,?,?,?,?,?,?,?,?,?,?,?)")) {
                bindKey(ps, key);
                ps.executeUpdate();
            }
            Supplier<Balance> balance = creditMicros != 0
                    ? LedgerBatch.stage(group, LedgerEntry.credit(key.createdAt(), key.id(), creditMicros, creditNote))
                    : () -> null;
            return () -> {
                Balance b = balance.get();
                return b == null ? key : withBalance(key, b);
            };
        }));
    }

    @Override
    public Uni<Optional<KeyRecord>> updateSettings(String id, UnaryOperator<KeySettings> edit) {
        return write(c -> {
            // PostgreSQL: lock the row until commit, so a replica's concurrent edit waits for this one and then
            // applies itself to its result; SQLite has a single writer (this thread) anyway
            String lock = database.dialect() == Database.Dialect.POSTGRESQL ? " FOR UPDATE" : "";
            Optional<KeyRecord> current = read(c, id, lock);
            if (current.isEmpty()) {
                return current;
            }
            KeySettings settings = edit.apply(KeySettings.of(current.get()));
            try (PreparedStatement ps = c.prepareStatement("UPDATE sluice_keys SET "
                    + SETTINGS_COLUMNS.replace(",", " = ?,") + " = ?, " + NEXT_VERSION
                    + " WHERE id = ? AND updated_at = ?")) {
                int next = bindNextVersion(ps, bindSettings(ps, 1, settings));
                ps.setString(next, id);
                ps.setLong(next + 1, current.get().updatedAt());
                if (ps.executeUpdate() != 1) {
                    // cannot happen with the row locked; a serialization failure makes the writer retry the group
                    throw new SQLException("key " + id + " changed during its edit", "40001");
                }
            }
            return read(c, id, "");
        });
    }

    @Override
    public Uni<Optional<KeyRecord>> revoke(String id, long at) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sluice_keys SET revoked_at = ?, " + NEXT_VERSION
                    + " WHERE id = ? AND revoked_at IS NULL")) {
                ps.setLong(1, at);
                int next = bindNextVersion(ps, 2);
                ps.setString(next, id);
                ps.executeUpdate();
            }
            return read(c, id, "");
        });
    }

    @Override
    public Uni<Optional<KeyRecord>> rotate(String id, String secretHash, String hint) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sluice_keys SET secret_hash = ?, hint = ?, "
                    + NEXT_VERSION + " WHERE id = ? AND revoked_at IS NULL")) {
                ps.setString(1, secretHash);
                ps.setString(2, hint);
                int next = bindNextVersion(ps, 3);
                ps.setString(next, id);
                ps.executeUpdate();
            }
            return read(c, id, "");
        });
    }

    /** A key change in its own place in the write queue, answered with what it returns once committed. */
    private <T> Uni<T> write(KeyWrite<T> change) {
        return Uni.createFrom().completionStage(() -> writer.submit((c, group) -> {
            T result = change.apply(c);
            return () -> result;
        }));
    }

    private interface KeyWrite<T> {
        T apply(Connection c) throws SQLException;
    }

    /** Binds the two parameters of {@link #NEXT_VERSION}; returns the index of the next parameter. */
    private static int bindNextVersion(PreparedStatement ps, int index) throws SQLException {
        long now = System.currentTimeMillis();
        ps.setLong(index, now);
        ps.setLong(index + 1, now);
        return index + 2;
    }

    /** A key as this transaction sees it. */
    private Optional<KeyRecord> read(Connection c, String id, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + KEY_COLUMNS + " FROM sluice_keys WHERE id = ?"
                + lock)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readKey(rs)) : Optional.empty();
            }
        }
    }

    // ---- reads -------------------------------------------------------------------------------------------------

    @Override
    public List<KeyRecord> loadAll() {
        return query("SELECT " + KEY_COLUMNS + " FROM sluice_keys ORDER BY created_at, id", ps -> {
        }, this::readKey);
    }

    @Override
    public Optional<KeyRecord> load(String id) {
        return query("SELECT " + KEY_COLUMNS + " FROM sluice_keys WHERE id = ?", ps -> ps.setString(1, id),
                this::readKey).stream().findFirst();
    }

    @Override
    public List<Row> usage(String keyId, long from, long to, GroupBy groupBy) {
        String group = switch (groupBy) {
            case KEY -> "key_id";
            case MODEL -> "COALESCE(provider || '/' || served_model, requested_model, '')";
            case PROVIDER -> "COALESCE(provider, '')";
            case DAY -> "ts / 86400000";
            case NONE -> "''";
        };
        return ledgerLines("request", "SELECT " + group + " AS grp, COUNT(*), "
                + "SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), SUM(prompt_tokens), SUM(completion_tokens), "
                + "SUM(cached_tokens), SUM(reasoning_tokens), SUM(extract_pages), SUM(cost_micros)", keyId, from, to,
                " GROUP BY grp ORDER BY grp", rs -> {
            String g = switch (groupBy) {
                case DAY -> LocalDate.ofEpochDay(rs.getLong(1)).toString();
                case NONE -> null;
                default -> rs.getString(1);
            };
            return new Row(g, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                    rs.getLong(7), rs.getLong(8), rs.getLong(9));
        });
    }

    @Override
    public List<InvoiceLine> invoiceLines(String keyId, long from, long to) {
        return ledgerLines("request", "SELECT key_id, COALESCE(provider, '') AS p, "
                + "COALESCE(served_model, requested_model, '') AS m, COUNT(*), SUM(prompt_tokens), "
                + "SUM(completion_tokens), SUM(cached_tokens), SUM(reasoning_tokens), SUM(cost_micros)", keyId, from,
                to, " GROUP BY key_id, p, m ORDER BY key_id, p, m", rs -> new InvoiceLine(rs.getString(1),
                        rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
                        rs.getLong(8), rs.getLong(9)));
    }

    @Override
    public long credits(String keyId, long from, long to) {
        return ledgerLines("credit", "SELECT COALESCE(SUM(amount_micros), 0)", keyId, from, to, "",
                rs -> rs.getLong(1)).get(0);
    }

    /** Epoch milliseconds of the first instant of a UTC day. */
    public static long startOfDay(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    // ---- JDBC plumbing -----------------------------------------------------------------------------------------

    /**
     * A report over the ledger's lines of one kind ({@code request}, {@code credit}: a constant) in a period
     * ({@code from} inclusive, {@code to} exclusive), of one key or, when {@code keyId} is null, of all:
     * {@code select} and {@code grouping} around that condition.
     */
    private <T> List<T> ledgerLines(String kind, String select, String keyId, long from, long to, String grouping,
                                    Reader<T> reader) {
        String sql = select + " FROM sluice_ledger WHERE kind = '" + kind + "' AND ts >= ? AND ts < ?"
                + (keyId == null ? "" : " AND key_id = ?") + grouping;
        return query(sql, ps -> {
            ps.setLong(1, from);
            ps.setLong(2, to);
            if (keyId != null) {
                ps.setString(3, keyId);
            }
        }, reader);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Binder binder, Reader<T> reader) {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            Log.warnf("Store read failed: %s", e.getMessage());
            throw new StoreUnavailableException("The usage store cannot be read right now", e);
        }
    }

    private KeyRecord readKey(ResultSet rs) throws SQLException {
        return new KeyRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                parseModels(rs.getString(5)), intOrNull(rs, 6), intOrNull(rs, 7), intOrNull(rs, 8),
                rs.getInt(9) != 0, longOrNull(rs, 10), rs.getString(11), rs.getLong(12), rs.getLong(13),
                longOrNull(rs, 14), rs.getLong(15), rs.getLong(16), flagOrNull(rs, 17), flagOrNull(rs, 18),
                rs.getInt(19) != 0);
    }

    private void bindKey(PreparedStatement ps, KeyRecord key) throws SQLException {
        ps.setString(1, key.id());
        ps.setString(2, key.secretHash());
        ps.setString(3, key.hint());
        ps.setLong(4, key.createdAt());
        ps.setLong(5, key.updatedAt());
        setLong(ps, 6, key.revokedAt());
        bindSettings(ps, 7, KeySettings.of(key));
    }

    /** Binds a key's settings from parameter {@code first} on, in {@link #SETTINGS_COLUMNS}' order; returns the next. */
    private int bindSettings(PreparedStatement ps, int first, KeySettings settings) throws SQLException {
        int i = first;
        ps.setString(i++, settings.name());
        ps.setString(i++, models(settings.models()));
        setInt(ps, i++, settings.rpm());
        setInt(ps, i++, settings.tpm());
        setInt(ps, i++, settings.maxParallel());
        ps.setInt(i++, settings.unlimited() ? 1 : 0);
        setLong(ps, i++, settings.expiresAt());
        ps.setString(i++, settings.metadata());
        setFlag(ps, i++, settings.logRequests());
        setFlag(ps, i++, settings.logBodies());
        ps.setInt(i++, settings.cache() ? 1 : 0);
        return i;
    }

    private static KeyRecord withBalance(KeyRecord k, Balance b) {
        return new KeyRecord(k.id(), k.name(), k.secretHash(), k.hint(), k.models(), k.rpm(), k.tpm(),
                k.maxParallel(), k.unlimited(), k.expiresAt(), k.metadata(), k.createdAt(), k.updatedAt(),
                k.revokedAt(), b.micros(), b.seq(), k.logRequests(), k.logBodies(), k.cache());
    }

    private String models(List<String> models) {
        if (models == null || models.isEmpty()) {
            return null;
        }
        try {
            return mapper.writeValueAsString(models);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> parseModels(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return mapper.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable models column", e);
        }
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    /** A nullable 0/1 column: null means "not set". */
    private static void setFlag(PreparedStatement ps, int i, Boolean v) throws SQLException {
        setInt(ps, i, v == null ? null : v ? 1 : 0);
    }

    private static Boolean flagOrNull(ResultSet rs, int i) throws SQLException {
        Integer v = intOrNull(rs, i);
        return v == null ? null : v != 0;
    }

    private static Integer intOrNull(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    private static Long longOrNull(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
