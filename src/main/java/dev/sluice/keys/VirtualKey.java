package dev.sluice.keys;

import dev.sluice.store.KeyRecord;
import dev.sluice.store.Quotas;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A virtual key as the request path sees it: its stored record plus its model allow-list compiled once.
 * Carried in {@link dev.sluice.auth.Caller#details()}.
 */
public record VirtualKey(KeyRecord record, List<Pattern> allowed) {

    public static VirtualKey of(KeyRecord record) {
        return new VirtualKey(record, record.models().stream().map(VirtualKey::glob).toList());
    }

    public String id() {
        return record.id();
    }

    public Quotas.Limits limits() {
        return new Quotas.Limits(record.rpm(), record.tpm(), record.maxParallel());
    }

    /** Whether any of the names (the requested one, the resolved {@code provider/model}) is on the allow-list. */
    public boolean allows(String... names) {
        if (allowed.isEmpty()) {
            return true;
        }
        for (Pattern p : allowed) {
            for (String n : names) {
                if (n != null && p.matcher(n).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code *} matches any run of characters (slashes included), {@code ?} one character; the rest is literal. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString());
    }
}
