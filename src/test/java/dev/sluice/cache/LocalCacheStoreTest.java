package dev.sluice.cache;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalCacheStoreTest {

    @Test
    void theCacheHoldsNoMoreBytesThanItsBound() {
        LocalCacheStore store = new LocalCacheStore(100_000);
        byte[] answer = new byte[10_000];
        for (int i = 0; i < 50; i++) {
            store.put("k" + i, answer, Duration.ofHours(1)).await().indefinitely();
        }
        store.cleanUp();
        assertTrue(store.bytes() <= 100_000, "bytes held: " + store.bytes());
        assertTrue(store.bytes() > 50_000, "bytes held: " + store.bytes());
    }

    @Test
    void anEntryIsReadBackUntilItsOwnTtl() {
        LocalCacheStore store = new LocalCacheStore(100_000);
        byte[] answer = "{\"id\":\"x\"}".getBytes();
        store.put("live", answer, Duration.ofHours(1)).await().indefinitely();
        store.put("gone", answer, Duration.ofNanos(1)).await().indefinitely();
        assertArrayEquals(answer, store.get("live").await().indefinitely());
        assertNull(store.get("gone").await().indefinitely());
        assertNull(store.get("never").await().indefinitely());
    }
}
