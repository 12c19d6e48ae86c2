package dev.sluice.keys;

import dev.sluice.openai.ApiException;
import dev.sluice.auth.Caller;
import dev.sluice.auth.KeyAuthenticator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Recognises virtual keys ({@code sk-sluice-<id>-<secret>}). The id, which is not secret, finds the key in
 * memory; the SHA-256 of the presented key is then compared with the stored one in constant time. A revoked or
 * expired key gets a 401 that says so.
 */
@ApplicationScoped
public class VirtualKeyAuthenticator implements KeyAuthenticator {

    @Inject
    KeyDirectory directory;

    @Override
    public Uni<Caller> authenticate(String presentedKey) {
        String id = KeySecrets.idOf(presentedKey);
        if (id == null) {
            return Uni.createFrom().nullItem();
        }
        VirtualKey key = directory.get(id).orElse(null);
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        byte[] expected = HexFormat.of().parseHex(key.record().secretHash());
        if (!MessageDigest.isEqual(expected, KeySecrets.sha256(presentedKey))) {
            return Uni.createFrom().nullItem();
        }
        if (key.record().revoked()) {
            return Uni.createFrom().failure(ApiException.unauthorized("This API key (" + id + ") has been revoked.",
                    "key_revoked"));
        }
        if (key.record().expired(System.currentTimeMillis())) {
            return Uni.createFrom().failure(ApiException.unauthorized("This API key (" + id + ") expired at "
                    + Instant.ofEpochMilli(key.record().expiresAt()) + ".", "key_expired"));
        }
        return Uni.createFrom().item(new Caller(id, Caller.Role.VIRTUAL, key));
    }

    @Override
    public int order() {
        return 10;
    }
}
