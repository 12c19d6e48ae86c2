package dev.sluice.extract;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the character set of an HTML body given as bytes, in the order browsers use: a byte-order mark wins, then
 * the {@code charset} of the Content-Type header, then a {@code <meta charset>} / {@code http-equiv} declaration in
 * the first kilobytes, then UTF-8. The fetcher knows the header; this class only reads what it is given.
 */
public final class HtmlCharset {

    /** Browsers look for the meta declaration in the first 1024 bytes; real pages put it later, so look further. */
    private static final int META_SCAN_BYTES = 8192;
    private static final Pattern HEADER_CHARSET = Pattern.compile("charset\\s*=\\s*[\"']?([\\w.:-]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern META_CHARSET = Pattern.compile(
            "<meta[^>]+charset\\s*=\\s*[\"']?\\s*([\\w.:-]+)", Pattern.CASE_INSENSITIVE);

    private HtmlCharset() {
    }

    /**
     * @param bytes       the body as received
     * @param contentType the Content-Type header value, or null
     * @return the charset to decode with; never null
     */
    public static Charset detect(byte[] bytes, String contentType) {
        Charset bom = fromByteOrderMark(bytes);
        if (bom != null) {
            return bom;
        }
        if (contentType != null) {
            Matcher m = HEADER_CHARSET.matcher(contentType);
            Charset declared = m.find() ? lookup(m.group(1)) : null;
            if (declared != null) {
                return declared;
            }
        }
        // ISO-8859-1 maps every byte to one char, so the ASCII markup of the head reads correctly whatever the charset.
        String head = new String(bytes, 0, Math.min(bytes.length, META_SCAN_BYTES), StandardCharsets.ISO_8859_1);
        Matcher m = META_CHARSET.matcher(head);
        Charset meta = m.find() ? lookup(m.group(1)) : null;
        return meta != null ? meta : StandardCharsets.UTF_8;
    }

    /** Decodes the body with {@link #detect}, dropping a byte-order mark. */
    public static String decode(byte[] bytes, String contentType) {
        Charset charset = detect(bytes, contentType);
        int skip = bomLength(bytes);
        return new String(bytes, skip, bytes.length - skip, charset);
    }

    static Charset fromByteOrderMark(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            return StandardCharsets.UTF_8;
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        return null;
    }

    private static int bomLength(byte[] b) {
        Charset bom = fromByteOrderMark(b);
        if (bom == null) {
            return 0;
        }
        return bom == StandardCharsets.UTF_8 ? 3 : 2;
    }

    private static Charset lookup(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        // A page that declares UTF-16 in ASCII markup cannot really be UTF-16 (WHATWG rule); and Latin-1 means 1252.
        if (n.startsWith("utf-16")) {
            return StandardCharsets.UTF_8;
        }
        if (n.equals("iso-8859-1") || n.equals("latin1") || n.equals("us-ascii") || n.equals("ascii")) {
            n = "windows-1252";
        }
        try {
            return Charset.isSupported(n) ? Charset.forName(n) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
