package dev.sluice.fetch;

import dev.sluice.openai.ApiException;
import dev.sluice.openai.ErrorEnvelope;

/**
 * Why a page could not be fetched, with the specific code the extract API documents: {@code url_not_allowed},
 * {@code fetch_failed}, {@code fetch_timeout}, {@code too_large}, {@code unsupported_content_type},
 * {@code upstream_status}, and for PDFs that cannot be read {@code pdf_encrypted}, {@code pdf_without_text},
 * {@code pdf_unreadable}.
 */
public final class FetchException extends ApiException {

    public static final String URL_NOT_ALLOWED = "url_not_allowed";
    public static final String FETCH_FAILED = "fetch_failed";
    public static final String FETCH_TIMEOUT = "fetch_timeout";
    public static final String TOO_LARGE = "too_large";
    public static final String UNSUPPORTED_CONTENT_TYPE = "unsupported_content_type";
    public static final String UPSTREAM_STATUS = "upstream_status";
    public static final String PDF_ENCRYPTED = "pdf_encrypted";
    public static final String PDF_WITHOUT_TEXT = "pdf_without_text";
    public static final String PDF_UNREADABLE = "pdf_unreadable";

    private final int pageStatus;

    private FetchException(int status, String code, String message, int pageStatus) {
        super(status, INVALID_REQUEST, code, "url", message);
        this.pageStatus = pageStatus;
    }

    public static FetchException notAllowed(String why) {
        return new FetchException(400, URL_NOT_ALLOWED, "URL not allowed: " + why, 0);
    }

    public static FetchException failed(String why) {
        return new FetchException(502, FETCH_FAILED, "The page could not be fetched: " + why, 0);
    }

    public static FetchException timeout(long millis) {
        return new FetchException(504, FETCH_TIMEOUT, "The page did not arrive within " + millis + " ms", 0);
    }

    /** A page not fetched and extracted within a deadline that covers more than its fetch (retrieval for chat). */
    public static FetchException deadline(long millis) {
        return new FetchException(504, FETCH_TIMEOUT, "The page was not fetched and extracted within the request's "
                + millis + " ms deadline", 0);
    }

    public static FetchException tooLarge(long limit) {
        return new FetchException(422, TOO_LARGE, "The page is larger than the " + limit + "-byte limit", 0);
    }

    /** @param type the page's media type, or null when it sent none and its body does not look like HTML */
    public static FetchException unsupportedType(String type) {
        String what = type == null ? "The page has no Content-Type and its body does not look like HTML"
                : "The page's content type '" + type + "' is not supported";
        return new FetchException(422, UNSUPPORTED_CONTENT_TYPE, what
                + " (text/html, application/xhtml+xml, text/plain and application/pdf are)", 0);
    }

    /** A PDF that needs a password to open, or whose author forbade extracting its text. */
    public static FetchException pdfEncrypted() {
        return new FetchException(422, PDF_ENCRYPTED,
                "The PDF is encrypted: it needs a password or does not permit extracting its text", 0);
    }

    /** A PDF with no text layer (a scan or images only); reading it would need OCR. */
    public static FetchException pdfWithoutText() {
        return new FetchException(422, PDF_WITHOUT_TEXT,
                "The PDF has no extractable text (scanned pages or images only)", 0);
    }

    public static FetchException pdfUnreadable() {
        return new FetchException(422, PDF_UNREADABLE, "The PDF could not be read: it is damaged or not a PDF", 0);
    }

    public static FetchException upstreamStatus(int status) {
        return new FetchException(502, UPSTREAM_STATUS, "The page answered HTTP " + status, status);
    }

    /** The page's own HTTP status for {@code upstream_status}, else 0. */
    public int pageStatus() {
        return pageStatus;
    }

    /** The OpenAI envelope, plus {@code status} (the page's HTTP status) for {@code upstream_status}. */
    @Override
    public ErrorEnvelope envelope() {
        ErrorEnvelope envelope = super.envelope();
        return pageStatus == 0 ? envelope : new ErrorEnvelope(envelope.error().withStatus(pageStatus));
    }
}
