package dev.sluice.rag;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code [n]} markers a model wrote (also {@code [1, 2]}) and turns each into OpenAI's
 * {@code url_citation} annotation: {@code {"type": "url_citation", "url_citation": {"url", "title",
 * "start_index", "end_index"}}}, indices being character (code point) offsets of the marker in the content.
 */
final class Citations {

    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,3}(?:\\s*,\\s*\\d{1,3})*)]");

    /** A cited source: its URL and title. */
    record Cited(String url, String title) {
    }

    private Citations() {
    }

    static ArrayNode annotations(String content, Map<Integer, Cited> sources) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (content == null || content.isEmpty() || sources.isEmpty()) {
            return out;
        }
        Matcher m = MARKER.matcher(content);
        while (m.find()) {
            int start = content.codePointCount(0, m.start());
            int end = start + content.codePointCount(m.start(), m.end());
            for (String number : m.group(1).split(",")) {
                Cited cited = sources.get(Integer.parseInt(number.strip()));
                if (cited == null) {
                    continue;
                }
                ObjectNode annotation = out.addObject();
                annotation.put("type", "url_citation");
                ObjectNode citation = annotation.putObject("url_citation");
                citation.put("url", cited.url());
                citation.put("title", cited.title());
                citation.put("start_index", start);
                citation.put("end_index", end);
            }
        }
        return out;
    }
}
