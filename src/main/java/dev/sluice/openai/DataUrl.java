package dev.sluice.openai;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code data:} URL (RFC 2397) as OpenAI clients send inline images and files:
 * {@code data:image/png;base64,iVBORw0...}. Adapters whose provider wants the media type and the base64 payload
 * apart read them here.
 *
 * @param mediaType the declared media type, lower-cased, without parameters ({@code text/plain} when absent, as
 *                  RFC 2397 says)
 * @param base64    the payload, base64-encoded (percent-encoded payloads are decoded and re-encoded)
 */
public record DataUrl(String mediaType, String base64) {

    private static final String PREFIX = "data:";

    /** Whether the URL is a data URL at all (case-insensitive scheme). */
    public static boolean isDataUrl(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** The parsed URL, or empty when it is not a well-formed data URL. */
    public static Optional<DataUrl> parse(String url) {
        if (!isDataUrl(url)) {
            return Optional.empty();
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            return Optional.empty();
        }
        String header = url.substring(PREFIX.length(), comma);
        boolean base64 = false;
        String mediaType = null;
        for (String piece : header.split(";")) {
            String p = piece.strip();
            if (p.equalsIgnoreCase("base64")) {
                base64 = true;
            } else if (mediaType == null && p.contains("/")) {
                mediaType = p.toLowerCase(Locale.ROOT);
            }
        }
        if (mediaType == null) {
            mediaType = "text/plain";
        }
        String payload = url.substring(comma + 1);
        if (base64) {
            return Optional.of(new DataUrl(mediaType, payload.strip()));
        }
        byte[] bytes = URLDecoder.decode(payload, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        return Optional.of(new DataUrl(mediaType, Base64.getEncoder().encodeToString(bytes)));
    }

    @Override
    public String toString() {
        // payloads can be megabytes: keep them out of logs and messages
        return "DataUrl[" + mediaType + ", " + base64.length() + " base64 chars]";
    }
}
