package dev.sluice.store;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Stored responses in the same database as keys and ledger (SQLite or PostgreSQL), one small statement per call
 * on a worker thread. They do not go through the ledger's group-committing writer: a stored response is a
 * convenience for the next turn, not money, and must never delay a ledger commit's batch.
 */
@ApplicationScoped
public class JdbcResponseStore implements ResponseStore {

    private final Database database;

    @Inject
    public JdbcResponseStore(Database database) {
        this.database = database;
    }

    @Override
    public Uni<Void> save(StoredResponse r) {
        return blocking(() -> {
            try (Connection c = database.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO sluice_responses (id, key_id, created_at, "
                         + "expires_at, context, body) VALUES (?,?,?,?,?,?)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.keyId());
                ps.setLong(3, r.createdAt());
                ps.setLong(4, r.expiresAt());
                ps.setString(5, r.context());
                ps.setString(6, r.body());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Uni<Optional<StoredResponse>> find(String id, String keyId, long now) {
        return onLive("SELECT id, key_id, created_at, expires_at, context, body FROM sluice_responses", id, keyId, now,
                ps -> {
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(new StoredResponse(rs.getString(1), rs.getString(2),
                                rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getString(6))) : Optional.empty();
                    }
                });
    }

    @Override
    public Uni<Boolean> delete(String id, String keyId, long now) {
        return onLive("DELETE FROM sluice_responses", id, keyId, now, ps -> ps.executeUpdate() > 0);
    }

    @Override
    public Uni<Integer> purge(long now) {
        return blocking(() -> {
            try (Connection c = database.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("DELETE FROM sluice_responses WHERE expires_at <= ?")) {
                ps.setLong(1, now);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Runs a statement on one response of a key, if it has not expired: the statement's condition and its three
     * parameters are added here, the same for every such statement.
     */
    private <T> Uni<T> onLive(String statement, String id, String keyId, long now, Bound<T> work) {
        return blocking(() -> {
            try (Connection c = database.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement(statement
                         + " WHERE id = ? AND key_id = ? AND expires_at > ?")) {
                ps.setString(1, id);
                ps.setString(2, keyId);
                ps.setLong(3, now);
                return work.run(ps);
            }
        });
    }

    private interface Bound<T> {
        T run(PreparedStatement ps) throws SQLException;
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    private static <T> Uni<T> blocking(Work<T> work) {
        return Uni.createFrom().<T>emitter(e -> {
            try {
                e.complete(work.run());
            } catch (SQLException ex) {
                Log.warnf("Stored responses: %s", ex.getMessage());
                e.fail(new StoreUnavailableException("The response store cannot be used right now", ex));
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
