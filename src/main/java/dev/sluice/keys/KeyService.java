package dev.sluice.keys;

import dev.sluice.openai.ApiException;
import dev.sluice.money.Money;
import dev.sluice.store.Balance;
import dev.sluice.store.KeyRecord;
import dev.sluice.store.KeySettings;
import dev.sluice.store.KeyStore;
import dev.sluice.store.Ledger;
import dev.sluice.store.LedgerEntry;
import dev.sluice.store.Quotas;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Creates, changes, revokes, rotates and credits virtual keys. Every operation starts from the key as the
 * database holds it (never from this replica's in-memory directory, which may not have heard of a change made on
 * another replica yet) and changes only its own columns: an edit cannot bring back a revoked key or an old secret,
 * however it interleaves with a revocation or rotation. The result is then applied to this replica's directory and
 * announced to the others. Keys are never deleted: a revoked key keeps its ledger.
 */
@ApplicationScoped
public class KeyService {

    /** A key just created or rotated: the only moment its secret exists outside the client. */
    public record Issued(KeyRecord record, String secret) {
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

    Uni<Issued> create(KeyPatch patch, long creditMicros) {
        KeySettings s = patch.settings();
        String id = KeySecrets.newId(random);
        String secret = KeySecrets.newKey(id, random);
        long now = System.currentTimeMillis();
        KeyRecord record = new KeyRecord(id, s.name(), hash(secret), KeySecrets.hint(secret), s.models(), s.rpm(),
                s.tpm(), s.maxParallel(), s.unlimited(), s.expiresAt(), s.metadata(), now, now, null, 0, 0,
                s.logRequests(), s.logBodies(), s.cache());
        return store.create(record, creditMicros, creditMicros > 0 ? "initial credit" : null)
                .invoke(created -> {
                    quotas.balanceChanged(created.balance()).subscribe().with(v -> { }, f -> { });
                    directory.changed(created);
                    Log.infof("Key %s (%s) created with $%s credit", id, s.name(), Money.usdText(creditMicros));
                })
                .map(created -> new Issued(created, secret));
    }

    /** The key as the database holds it now; 404 when there is none. */
    public Uni<KeyRecord> load(String id) {
        return Uni.createFrom().item(() -> store.load(id))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(found -> found.orElseThrow(() -> notFound(id)));
    }

    /**
     * Applies an edit to the key's settings as the database holds them when the change commits, so that an edit
     * made at the same time by another request or replica is kept.
     */
    Uni<KeyRecord> update(String id, KeyPatch patch) {
        return store.updateSettings(id, patch::applyTo)
                .map(found -> found.orElseThrow(() -> notFound(id)))
                .invoke(directory::changed);
    }

    Uni<KeyRecord> revoke(String id) {
        return store.revoke(id, System.currentTimeMillis())
                .map(found -> found.orElseThrow(() -> notFound(id)))
                .invoke(r -> {
                    directory.changed(r);
                    Log.infof("Key %s revoked", r.id());
                });
    }

    /** A new secret for the same key (same id, balance, limits and ledger); the old secret stops working. */
    Uni<Issued> rotate(String id) {
        String secret = KeySecrets.newKey(id, random);
        String hash = hash(secret);
        return store.rotate(id, hash, KeySecrets.hint(secret))
                .map(found -> found.orElseThrow(() -> notFound(id)))
                .invoke(directory::changed)
                .map(r -> {
                    if (!r.secretHash().equals(hash)) {
                        throw new ApiException(409, ApiException.INVALID_REQUEST, "key_revoked", null,
                                "Key " + id + " is revoked and cannot be rotated");
                    }
                    Log.infof("Key %s rotated", r.id());
                    return new Issued(r, secret);
                });
    }

    /** A top-up: a credit line in the ledger and the balance it produces, committed together. */
    Uni<Optional<Balance>> credit(String id, long micros, String note) {
        return load(id)
                .chain(key -> ledger.append(LedgerEntry.credit(System.currentTimeMillis(), key.id(), micros, note)))
                .call(balance -> balance == null ? Uni.createFrom().voidItem() : quotas.balanceChanged(balance))
                .invoke(balance -> {
                    directory.changed(id);
                    Log.infof("Key %s credited $%s", id, Money.usdText(micros));
                })
                .map(Optional::ofNullable);
    }

    public static String display(KeyRecord key) {
        return KeySecrets.display(key.id(), key.hint());
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("No key with id '" + id + "'", "key_not_found");
    }

    private static String hash(String secret) {
        return HexFormat.of().formatHex(KeySecrets.sha256(secret));
    }
}
