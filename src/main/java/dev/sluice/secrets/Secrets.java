package dev.sluice.secrets;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of anything Sluice writes: error messages relayed from providers, log lines, exception text.
 * Every configured key is registered at start-up and replaced wherever it appears; strings shaped like API keys
 * or bearer tokens are masked as well, because providers echo (partly masked) keys in their error messages.
 */
public final class Secrets {

    private static final Set<String> KNOWN = new CopyOnWriteArraySet<>();
    private static final Pattern KEY_SHAPED = Pattern.compile(
            "(?i)(bearer\\s+[A-Za-z0-9._~+/=-]{6,}|\\b(?:sk|rk|pk|gsk|xai|csk|fw|tgp_v1|AIza|AKIA|ASIA)[-_A-Za-z0-9*]{8,})");
    private static final String MASK = "[redacted]";

    private Secrets() {
    }

    /** Registers a secret so that it is masked everywhere; blanks and very short values are ignored. */
    public static void register(String secret) {
        if (secret != null && secret.strip().length() >= 6) {
            KNOWN.add(secret.strip());
        }
    }

    public static void forget(String secret) {
        if (secret != null) {
            KNOWN.remove(secret.strip());
        }
    }

    /** The text with every registered secret and every key-shaped token masked. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return KEY_SHAPED.matcher(masked(text, KNOWN)).replaceAll(MASK);
    }

    /** The text with every occurrence of each of the given secrets replaced by {@code [redacted]}. */
    public static String masked(String text, Iterable<String> secrets) {
        String out = text;
        for (String secret : secrets) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }
}
