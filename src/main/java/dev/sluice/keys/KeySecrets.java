package dev.sluice.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The shape of virtual keys: {@code sk-sluice-} + a 12-character id + {@code -} + 40 random base-62 characters
 * (about 238 bits). Only the SHA-256 of a key is stored: keys are random, so a slow password hash would add
 * nothing but latency.
 *
 * <p>The random source is passed in by the bean that owns it ({@link KeyService}) rather than held in a static
 * field: Quarkus initialises classes at build time for a native executable, and a static {@code SecureRandom}
 * would be seeded once at build and frozen into the image (GraalVM refuses it).
 */
final class KeySecrets {

    static final String PREFIX = "sk-sluice-";
    private static final int ID_LENGTH = 12;
    private static final int SECRET_LENGTH = 40;
    private static final char[] ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    private KeySecrets() {
    }

    static String newId(SecureRandom random) {
        StringBuilder id = new StringBuilder("k");
        for (int i = 1; i < ID_LENGTH; i++) {
            id.append(ALNUM[random.nextInt(36)]);
        }
        return id.toString();
    }

    static String newKey(String id, SecureRandom random) {
        StringBuilder key = new StringBuilder(PREFIX).append(id).append('-');
        for (int i = 0; i < SECRET_LENGTH; i++) {
            key.append(ALNUM[random.nextInt(ALNUM.length)]);
        }
        return key.toString();
    }

    /** The id part of a presented key, or null if it is not shaped like a virtual key. */
    static String idOf(String key) {
        if (key == null || key.length() != PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH || !key.startsWith(PREFIX)
                || key.charAt(PREFIX.length() + ID_LENGTH) != '-') {
            return null;
        }
        String id = key.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return null;
            }
        }
        return id;
    }

    /** The last four characters, to tell keys apart in lists. */
    static String hint(String key) {
        return key.substring(key.length() - 4);
    }

    static String display(String id, String hint) {
        return PREFIX + id + "-..." + hint;
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
