package dev.sluice.store;

import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Optional;

/** Virtual keys. Reads block (call them on worker threads); writes are queued with the ledger's and committed in order. */
public interface KeyStore {

    List<KeyRecord> loadAll();

    Optional<KeyRecord> load(String id);

    /** Stores a new key; with a positive credit, its first ledger line in the same transaction. */
    Uni<KeyRecord> create(KeyRecord key, long creditMicros, String creditNote);

    /** Replaces a key's settings (not its balance). */
    Uni<KeyRecord> update(KeyRecord key);
}
