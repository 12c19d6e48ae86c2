package dev.sluice.keys;

import dev.sluice.billing.Money;
import dev.sluice.store.Balance;
import dev.sluice.store.KeyRecord;
import dev.sluice.store.KeyStore;
import dev.sluice.store.Ledger;
import dev.sluice.store.LedgerEntry;
import dev.sluice.store.Quotas;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Creates, changes, revokes and credits virtual keys. Every change is committed to the store first, then applied
 * to this replica's directory and announced to the others. Keys are never deleted: a revoked key keeps its ledger.
 */
@ApplicationScoped
public class KeyService {

    /** A key just created or rotated: the only moment its secret exists outside the client. */
    public record Issued(KeyRecord record, String secret) {
    }

    /** The settings a client may give or change. */
    public record Settings(String name, List<String> models, Integer rpm, Integer tpm, Integer maxParallel,
                           boolean unlimited, Long expiresAt, String metadata) {
    }

    /** Created with the bean, at run time: never seeded at image build (see {@link KeySecrets}). */
    private final SecureRandom random = new SecureRandom();

    @Inject
    KeyStore store;
    @Inject
    Ledger ledger;
    @Inject
    Quotas quotas;
    @Inject
    KeyDirectory directory;

    public Uni<Issued> create(Settings s, long creditMicros) {
        String id = KeySecrets.newId(random);
        String secret = KeySecrets.newKey(id, random);
        long now = System.currentTimeMillis();
        KeyRecord record = new KeyRecord(id, s.name(), hash(secret), KeySecrets.hint(secret), s.models(), s.rpm(), s.tpm(),
                s.maxParallel(), s.unlimited(), s.expiresAt(), s.metadata(), now, now, null, 0, 0);
        return store.create(record, creditMicros, creditMicros > 0 ? "initial credit" : null)
                .invoke(created -> {
                    quotas.balanceChanged(created.balance()).subscribe().with(v -> { }, f -> { });
                    directory.changed(created);
                    Log.infof("Key %s (%s) created with $%s credit", id, s.name(), Money.usdText(creditMicros));
                })
                .map(created -> new Issued(created, secret));
    }

    public Uni<KeyRecord> update(KeyRecord current, Settings s) {
        KeyRecord next = new KeyRecord(current.id(), s.name(), current.secretHash(), current.hint(), s.models(), s.rpm(),
                s.tpm(), s.maxParallel(), s.unlimited(), s.expiresAt(), s.metadata(), current.createdAt(),
                Math.max(System.currentTimeMillis(), current.updatedAt() + 1), current.revokedAt(),
                current.balanceMicros(), current.balanceSeq());
        return store.update(next).invoke(directory::changed);
    }

    public Uni<KeyRecord> revoke(KeyRecord current) {
        if (current.revoked()) {
            return Uni.createFrom().item(current);
        }
        long now = Math.max(System.currentTimeMillis(), current.updatedAt() + 1);
        KeyRecord next = new KeyRecord(current.id(), current.name(), current.secretHash(), current.hint(),
                current.models(), current.rpm(), current.tpm(), current.maxParallel(), current.unlimited(),
                current.expiresAt(), current.metadata(), current.createdAt(), now, now, current.balanceMicros(),
                current.balanceSeq());
        return store.update(next).invoke(r -> {
            directory.changed(r);
            Log.infof("Key %s revoked", r.id());
        });
    }

    /** A new secret for the same key (same id, balance, limits and ledger); the old secret stops working. */
    public Uni<Issued> rotate(KeyRecord current) {
        String secret = KeySecrets.newKey(current.id(), random);
        KeyRecord next = new KeyRecord(current.id(), current.name(), hash(secret), KeySecrets.hint(secret),
                current.models(), current.rpm(), current.tpm(), current.maxParallel(), current.unlimited(),
                current.expiresAt(), current.metadata(), current.createdAt(),
                Math.max(System.currentTimeMillis(), current.updatedAt() + 1), current.revokedAt(),
                current.balanceMicros(), current.balanceSeq());
        return store.update(next).invoke(r -> {
            directory.changed(r);
            Log.infof("Key %s rotated", r.id());
        }).map(r -> new Issued(r, secret));
    }

    /** A top-up: a credit line in the ledger and the balance it produces, committed together. */
    public Uni<Balance> credit(KeyRecord key, long micros, String note) {
        return ledger.append(LedgerEntry.credit(System.currentTimeMillis(), key.id(), micros, note))
                .call(balance -> balance == null ? Uni.createFrom().voidItem() : quotas.balanceChanged(balance))
                .invoke(balance -> {
                    directory.changed(key.id());
                    Log.infof("Key %s credited $%s", key.id(), Money.usdText(micros));
                });
    }

    public static String display(KeyRecord key) {
        return KeySecrets.display(key.id(), key.hint());
    }

    private static String hash(String secret) {
        return HexFormat.of().formatHex(KeySecrets.sha256(secret));
    }
}
