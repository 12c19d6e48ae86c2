package dev.sluice.openai;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAI's annotations of an answer's text, as translating adapters build them from a provider's citations:
 * {@code {"type": "url_citation", "url_citation": {"start_index", "end_index", "url", "title"}}}, the form OpenAI's
 * web search models return in {@code message.annotations} (and, streamed, in a delta's {@code annotations}).
 *
 * <p>Indexes count Unicode code points of {@code content} (the characters a Python client slices by), start
 * inclusive, end exclusive.
 */
public final class Annotations {

    public static final String URL_CITATION = "url_citation";

    private Annotations() {
    }

    public static ObjectNode urlCitation(JsonNodeFactory json, int start, int end, String url, String title) {
        ObjectNode annotation = json.objectNode();
        annotation.put("type", URL_CITATION);
        ObjectNode citation = annotation.putObject(URL_CITATION);
        citation.put("start_index", start);
        citation.put("end_index", end);
        citation.put("url", url);
        if (title != null) {
            citation.put("title", title);
        }
        return annotation;
    }

    /** The length of a text in code points, the unit of annotation indexes. */
    public static int length(CharSequence text) {
        return Character.codePointCount(text, 0, text.length());
    }
}
