package dev.sluice.fetch;

import java.nio.charset.Charset;

/**
 * A fetched page: where it finally came from, its status, its declared content type and charset (null when the
 * header named none), and its (decompressed) bytes.
 */
public record FetchedPage(String url, String finalUrl, int status, String contentType, Charset declaredCharset,
                          byte[] body) {
}
