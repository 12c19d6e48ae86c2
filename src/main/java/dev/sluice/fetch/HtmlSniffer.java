package dev.sluice.fetch;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decides whether a body sent without a Content-Type is clearly HTML, with the HTML patterns of the WHATWG MIME
 * Sniffing standard ("rules for identifying an unknown MIME type"): after optional leading whitespace, the body
 * starts with {@code <!DOCTYPE HTML}, {@code <html}, {@code <head}, {@code <body}, {@code <script}, {@code <p},
 * {@code <!--} ... (case-insensitive), each followed by a space or {@code >}. A UTF-8 byte-order mark before them
 * is skipped. Anything else (JSON, XML, a PDF, an image, prose) is not HTML. A PDF is recognised by its own
 * signature, {@code %PDF-} at the very start, as the same standard does.
 */
final class HtmlSniffer {

    private static final List<byte[]> PATTERNS = List.of(
            "<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE", "<A",
            "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--").stream()
            .map(p -> p.getBytes(StandardCharsets.US_ASCII)).toList();

    private static final byte[] PDF_SIGNATURE = "%PDF-".getBytes(StandardCharsets.US_ASCII);

    private HtmlSniffer() {
    }

    static boolean isPdf(byte[] body) {
        return java.util.Arrays.equals(body, 0, Math.min(body.length, PDF_SIGNATURE.length), PDF_SIGNATURE, 0,
                PDF_SIGNATURE.length);
    }

    static boolean isHtml(byte[] body) {
        int at = 0;
        if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) {
            at = 3;
        }
        while (at < body.length && isWhitespace(body[at])) {
            at++;
        }
        for (byte[] pattern : PATTERNS) {
            if (matches(body, at, pattern)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] body, int at, byte[] pattern) {
        if (body.length < at + pattern.length + 1) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            byte b = body[at + i];
            byte p = pattern[i];
            // letters match either case, as the standard's masks do; everything else exactly
            if (p >= 'A' && p <= 'Z' ? (b & 0xDF) != p : b != p) {
                return false;
            }
        }
        byte terminator = body[at + pattern.length];
        return terminator == ' ' || terminator == '>';
    }

    private static boolean isWhitespace(byte b) {
        return b == 0x09 || b == 0x0A || b == 0x0C || b == 0x0D || b == 0x20;
    }
}
