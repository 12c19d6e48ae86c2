package dev.sluice.keys;

import dev.sluice.store.KeyChanges;
import dev.sluice.store.KeyRecord;
import dev.sluice.store.KeyStore;
import dev.sluice.store.Quotas;
import dev.sluice.store.SharedState;
import dev.sluice.store.StoreConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every virtual key, in memory, so that authenticating a request never waits on the database. Kept in sync with
 * the store three ways: this replica's own changes apply at once; other replicas' changes arrive through
 * {@link KeyChanges} (Redis pub/sub: milliseconds); and everything is re-read every
 * {@code sluice.store.refresh-interval}, which bounds how long a revocation can take to reach a replica even
 * when a notice is lost.
 */
@Startup
@ApplicationScoped
public class KeyDirectory {

    private final KeyStore store;
    private final Quotas quotas;
    private final KeyChanges changes;
    private final boolean shared;
    private final Map<String, VirtualKey> keys = new ConcurrentHashMap<>();
    private final Map<String, Long> appliedSeq = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final long timer;

    @Inject
    public KeyDirectory(KeyStore store, Quotas quotas, KeyChanges changes, SharedState state, StoreConfig config,
                        Vertx vertx) {
        this.store = store;
        this.quotas = quotas;
        this.changes = changes;
        this.shared = state.shared();
        this.vertx = vertx;
        List<KeyRecord> all = store.loadAll();
        all.forEach(this::put);
        Log.infof("Virtual keys loaded: %d", all.size());
        changes.subscribe(this::reloadLater);
        long every = Math.max(200, config.refreshInterval().toMillis());
        this.timer = vertx.setPeriodic(every, id -> Infrastructure.getDefaultWorkerPool().execute(this::refresh));
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
    }

    public Optional<VirtualKey> get(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    public Collection<VirtualKey> all() {
        List<VirtualKey> out = new ArrayList<>(keys.values());
        out.sort((a, b) -> a.record().createdAt() != b.record().createdAt()
                ? Long.compare(a.record().createdAt(), b.record().createdAt()) : a.id().compareTo(b.id()));
        return out;
    }

    /** A change made by this replica: applied here at once and announced to the others. */
    public void changed(KeyRecord record) {
        put(record);
        changes.publish(record.id());
    }

    /** A change made by this replica that only the store knows the result of (a credit): re-read and announce. */
    public void changed(String id) {
        changes.publish(id);
    }

    /** Re-reads everything from the store (periodic). */
    void refresh() {
        try {
            long started = System.currentTimeMillis();
            List<KeyRecord> all = store.loadAll();
            Map<String, KeyRecord> fresh = new HashMap<>();
            all.forEach(r -> fresh.put(r.id(), r));
            all.forEach(this::put);
            // keys are never deleted, but a store replaced under a running replica drops them; a key created here
            // while the store was being read is not in that read and stays
            keys.values().removeIf(k -> !fresh.containsKey(k.id()) && k.record().updatedAt() < started);
        } catch (RuntimeException e) {
            Log.warnf("Key refresh failed: %s", e.getMessage());
        }
    }

    private void reloadLater(String id) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                store.load(id).ifPresent(this::put);
            } catch (RuntimeException e) {
                Log.warnf("Reloading key %s failed: %s", id, e.getMessage());
            }
        });
    }

    private void put(KeyRecord record) {
        // atomically, newest version wins: a record read before a newer change (made here, or announced sooner)
        // must not roll it back, whichever thread applies it last
        keys.compute(record.id(), (id, previous) -> previous != null
                && previous.record().updatedAt() > record.updatedAt() ? previous : VirtualKey.of(record));
        applyBalance(record);
    }

    /**
     * Feeds the durable balance to the quota store. Unnecessary with Redis (which loads balances it lacks and is
     * updated by every commit), needed in memory so that credits made on another replica arrive here.
     */
    private void applyBalance(KeyRecord r) {
        if (shared) {
            return;
        }
        Long seen = appliedSeq.get(r.id());
        if (seen == null || r.balanceSeq() > seen) {
            appliedSeq.put(r.id(), r.balanceSeq());
            quotas.balanceChanged(r.balance()).subscribe().with(v -> { }, f -> { });
        }
    }
}
