package dev.sluice.routing.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:default}} in a value of a Sluice routing file, from the environment
 * and Sluice's configuration (so {@code ${OPENAI_KEY_B}} reads the environment variable and
 * {@code ${sluice.providers.openai.api-key}} a property). {@code $${} writes a literal {@code ${}. A reference
 * with no value and no default expands to nothing and is reported through the list of missing names.
 */
final class Placeholders {

    private Placeholders() {
    }

    static String expand(String raw, Function<String, Optional<String>> lookup, List<String> missing) {
        if (raw == null || !raw.contains("${")) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            if (raw.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                continue;
            }
            if (raw.startsWith("${", i)) {
                int end = raw.indexOf('}', i + 2);
                if (end < 0) {
                    out.append(raw, i, raw.length());
                    break;
                }
                String ref = raw.substring(i + 2, end);
                int colon = ref.indexOf(':');
                String name = (colon < 0 ? ref : ref.substring(0, colon)).strip();
                Optional<String> value = name.isEmpty() ? Optional.empty() : lookup.apply(name);
                if (value.isPresent()) {
                    out.append(value.get());
                } else if (colon >= 0) {
                    out.append(ref.substring(colon + 1));
                } else {
                    missing.add(name);
                }
                i = end + 1;
                continue;
            }
            out.append(raw.charAt(i++));
        }
        return out.toString();
    }
}
