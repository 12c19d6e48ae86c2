package dev.sluice.logs;

import dev.sluice.secrets.Secrets;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Masks secrets in the bodies the request log keeps, then caps them: every configured credential (upstream keys,
 * the master key), the values of {@code Authorization}-like headers and JSON fields, and anything shaped like a key
 * ({@code sk-…}, {@code sk-ant-…}, {@code sk-sluice-…}, {@code AKIA…}, bearer tokens, JWTs) on top of what
 * {@link Secrets} already masks in error messages. Pure: it runs on the log's writer thread, never on a request.
 */
public final class SecretMask {

    static final String MASK = "[redacted]";
    /** Added where a body was cut at the size cap. */
    static final String TRUNCATED = "…[truncated]";

    /**
     * JSON members whose value is a credential whatever it looks like. Possessive quantifiers: a plain
     * {@code (a|b)*} recurses once per character in java.util.regex and overflows the stack on a long value.
     */
    private static final Pattern SECRET_FIELDS = Pattern.compile(
            "(\"(?i:authorization|proxy-authorization|x-api-key|x-goog-api-key|api[-_]?key|apikey|password|passwd"
                    + "|secret|client[-_]secret|secret[-_]access[-_]key|access[-_]token|refresh[-_]token|id[-_]token"
                    + "|session[-_]token|token)\"\\s*:\\s*)\"(?:[^\"\\\\]++|\\\\.)*+\"");
    /** The same as header lines or query parameters in free text. */
    private static final Pattern SECRET_HEADERS = Pattern.compile(
            "(?i)\\b((?:proxy-)?authorization|x-api-key|x-goog-api-key|api[-_]?key)(\\s*[:=]\\s*)"
                    + "(?:(?:bearer|basic|token)\\s+)?[^\\s\"',;&]+");
    /** Key shapes {@link Secrets} does not cover: the gateway's own keys, Anthropic's, JWTs. */
    private static final Pattern KEY_SHAPED = Pattern.compile(
            "\\bsk-(?:sluice|ant|proj)-[A-Za-z0-9_-]{6,}|\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");

    private final List<String> known;
    private final int maxBytes;

    /**
     * @param known    configured credential values, masked wherever they appear (blanks and values under six
     *                 characters are ignored: they would mask ordinary text)
     * @param maxBytes the most UTF-8 bytes of a body kept
     */
    public SecretMask(Collection<String> known, int maxBytes) {
        // each value also as JSON may escape it ("/" as "\/"), since bodies are stored as the JSON that carried them
        this.known = known.stream().filter(Objects::nonNull).map(String::strip).filter(s -> s.length() >= 6)
                .flatMap(s -> Stream.of(s, s.replace("/", "\\/"))).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.maxBytes = Math.max(0, maxBytes);
    }

    /** The body masked and capped; null stays null. */
    public String apply(String body) {
        if (body == null) {
            return null;
        }
        return cap(mask(body));
    }

    /** The text with every secret replaced by {@value #MASK}. */
    public String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = Secrets.masked(text, known);
        out = SECRET_FIELDS.matcher(out).replaceAll("$1\"" + MASK + "\"");
        out = SECRET_HEADERS.matcher(out).replaceAll("$1$2" + MASK);
        out = KEY_SHAPED.matcher(out).replaceAll(MASK);
        return Secrets.redact(out);
    }

    /** At most {@code maxBytes} UTF-8 bytes, cut on a character boundary, marked when cut. */
    String cap(String text) {
        if (text.length() * 3L <= maxBytes) {
            return text;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return text;
        }
        int end = maxBytes;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--; // not in the middle of a multi-byte character
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8) + TRUNCATED;
    }
}
