package dev.sluice.provider;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reading of a provider's {@code sluice.providers.<name>.options.*}, for adapters that parse their options
 * into a record once, at start-up. A malformed value stops start-up with a message naming the property, rather
 * than failing requests later.
 *
 * <p>Two shapes of keyed settings are supported, so that every setting can be given both in a properties file
 * and as one environment variable:
 * <ul>
 *   <li>one property per key: {@code options.deployments.gpt-4o=my-deployment};</li>
 *   <li>a list in one property: {@code options.deployments=gpt-4o=my-deployment,gpt-4.1=other}.</li>
 * </ul>
 */
public final class ProviderOptions {

    private final String provider;
    private final Map<String, String> options;

    public ProviderOptions(ProviderSettings settings) {
        this(settings.name(), settings.options());
    }

    public ProviderOptions(String provider, Map<String, String> options) {
        this.provider = provider;
        this.options = options;
    }

    public Optional<String> string(String key) {
        String value = options.get(key);
        if (value == null && key.indexOf('-') >= 0) {
            // an environment variable (SLUICE_PROVIDERS_X_OPTIONS_API_VERSION) reaches the map as "api.version"
            value = options.get(key.replace('-', '.'));
        }
        return Optional.ofNullable(value).map(String::strip).filter(s -> !s.isEmpty());
    }

    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    public int integer(String key, int fallback) {
        return string(key).map(v -> parseInt(key, v)).orElse(fallback);
    }

    /** One of the allowed values (case-insensitive), returned lower-cased. */
    public String choice(String key, String fallback, String... allowed) {
        String value = string(key).map(v -> v.toLowerCase(Locale.ROOT)).orElse(fallback);
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw new IllegalStateException(property(key) + "=" + value + " is not one of " + String.join(", ", allowed));
    }

    /**
     * The keyed settings under {@code key}: the list form ({@code key=a=1,b=2}) first, then one property per
     * entry ({@code key.a=1}), which wins for the same entry.
     */
    public Map<String, String> keyed(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        string(key).ifPresent(list -> {
            for (String entry : list.split(",")) {
                String e = entry.strip();
                if (e.isEmpty()) {
                    continue;
                }
                int eq = e.lastIndexOf('=');
                if (eq <= 0 || eq == e.length() - 1) {
                    throw new IllegalStateException(property(key) + ": '" + e + "' is not of the form name=value");
                }
                out.put(e.substring(0, eq).strip(), e.substring(eq + 1).strip());
            }
        });
        String prefix = key + ".";
        options.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length() && v != null && !v.isBlank()) {
                String name = k.substring(prefix.length());
                if (name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                out.put(name, v.strip());
            }
        });
        return out;
    }

    /** Like {@link #keyed} with integer values. */
    public Map<String, Integer> keyedIntegers(String key) {
        Map<String, Integer> out = new LinkedHashMap<>();
        keyed(key).forEach((k, v) -> out.put(k, parseInt(key + "." + k, v)));
        return out;
    }

    /**
     * Settings per reasoning effort ({@code key.<effort>}) over the adapter's defaults: an effort the defaults do not
     * name stops start-up, naming the property and the efforts there are.
     */
    public <V> Map<String, V> perEffort(String key, Map<String, V> defaults, Map<String, V> configured) {
        Map<String, V> out = new LinkedHashMap<>(defaults);
        configured.forEach((effort, value) -> {
            if (!defaults.containsKey(effort)) {
                throw new IllegalStateException(property(key + "." + effort) + ": unknown effort; use one of "
                        + defaults.keySet());
            }
            out.put(effort, value);
        });
        return out;
    }

    /** A comma-separated list. */
    public java.util.List<String> list(String key, java.util.List<String> fallback) {
        return string(key).map(v -> java.util.Arrays.stream(v.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList()).orElse(fallback);
    }

    /** The full property name of an option, for messages. */
    public String property(String key) {
        return "sluice.providers." + provider + ".options." + key;
    }

    private int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(property(key) + "=" + value + " is not an integer");
        }
    }
}
