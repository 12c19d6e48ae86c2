package dev.sluice.store;

import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Virtual keys. Reads block (call them on worker threads); writes are queued with the ledger's and committed in
 * order. Each write changes only the columns it is about, so concurrent operations on one key (an edit, a
 * rotation, a revocation, a charge) never undo each other, whichever replica makes them. Every write that returns
 * a record returns the row as the database holds it after that write, with a strictly larger
 * {@link KeyRecord#updatedAt()} (a key's version).
 */
public interface KeyStore {

    List<KeyRecord> loadAll();

    Optional<KeyRecord> load(String id);

    /** Stores a new key; with a positive credit, its first ledger line in the same transaction. */
    Uni<KeyRecord> create(KeyRecord key, long creditMicros, String creditNote);

    /**
     * Edits a key's settings: {@code edit} is applied to the settings the key has in the database at the moment
     * of the change (read and written in one transaction, the row locked in between), so concurrent edits of
     * different fields all survive. Never touches the key's secret, revocation or balance. Empty if there is no
     * such key.
     */
    Uni<Optional<KeyRecord>> updateSettings(String id, UnaryOperator<KeySettings> edit);

    /** Revokes a key (a revoked key stays revoked, with its first revocation time). Empty if there is no such key. */
    Uni<Optional<KeyRecord>> revoke(String id, long at);

    /**
     * Gives a key a new secret, unless it is revoked. Empty if there is no such key; the returned record is still
     * revoked (with the old secret) when it was.
     */
    Uni<Optional<KeyRecord>> rotate(String id, String secretHash, String hint);
}
