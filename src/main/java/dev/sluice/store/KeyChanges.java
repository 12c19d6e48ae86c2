package dev.sluice.store;

import java.util.function.Consumer;

/**
 * Tells every replica that a key changed (created, edited, revoked, rotated, credited), so that it re-reads it at
 * once instead of at its next periodic refresh. In-process only without Redis; Redis pub/sub with it.
 */
public interface KeyChanges {

    void publish(String keyId);

    void subscribe(Consumer<String> listener);
}
