package dev.sluice.cache;

import io.smallrye.mutiny.Uni;

import java.time.Duration;

/** Where cached answers live: in this process, or in Redis where replicas share them. Never blocks. */
public interface CacheStore {

    /** The stored answer (a {@code chat.completion} as JSON bytes), or a null item when there is none. */
    Uni<byte[]> get(String key);

    /** Stores an answer for {@code ttl}; completes once stored (or failed: the cache is best effort). */
    Uni<Void> put(String key, byte[] answer, Duration ttl);
}
