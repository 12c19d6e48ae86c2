package dev.sluice.store;

import io.smallrye.mutiny.Uni;

import java.util.Optional;

/**
 * Where responses of the Responses API are kept ({@code store: true}). Every method returns at once and runs its
 * database work off the event loop. A response is only ever visible to the key that made it, and only until it
 * expires.
 */
public interface ResponseStore {

    Uni<Void> save(StoredResponse response);

    /** The response, if it exists, belongs to this key and has not expired. */
    Uni<Optional<StoredResponse>> find(String id, String keyId, long now);

    /** Deletes the response if it belongs to this key; true if something was deleted. */
    Uni<Boolean> delete(String id, String keyId, long now);

    /** Deletes every expired response; returns how many. */
    Uni<Integer> purge(long now);
}
