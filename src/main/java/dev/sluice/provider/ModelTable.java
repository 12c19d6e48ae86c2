package dev.sluice.provider;

import java.util.Map;
import java.util.TreeMap;

/**
 * Per-model settings looked up by model-name prefix, the longest matching prefix winning: with entries
 * {@code claude-3} and {@code claude-3-5}, {@code claude-3-5-haiku-latest} takes the second and
 * {@code claude-3-opus-latest} the first. Model families share prefixes, so one entry covers every dated
 * version of a model.
 *
 * @param <T> the setting
 */
public final class ModelTable<T> {

    private final TreeMap<String, T> byPrefix;
    private final T fallback;

    /**
     * @param byPrefix entries; an entry whose key ends with {@code *} is read as the same prefix without it
     * @param fallback the value for a model no entry matches
     */
    public ModelTable(Map<String, T> byPrefix, T fallback) {
        this.byPrefix = new TreeMap<>();
        byPrefix.forEach((k, v) -> this.byPrefix.put(k.endsWith("*") ? k.substring(0, k.length() - 1) : k, v));
        this.fallback = fallback;
    }

    public T lookup(String model) {
        String best = null;
        for (String prefix : byPrefix.keySet()) {
            if (model.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? fallback : byPrefix.get(best);
    }

    /** Whether any entry matches the model. */
    public boolean matches(String model) {
        for (String prefix : byPrefix.keySet()) {
            if (model.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return byPrefix + " (otherwise " + fallback + ")";
    }
}
