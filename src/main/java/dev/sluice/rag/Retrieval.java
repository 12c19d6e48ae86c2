package dev.sluice.rag;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.WebExtractUse;

import java.util.HashMap;
import java.util.Map;

/**
 * What retrieval did for one exchange: the {@code sources} list sent to the client, the sources the injected
 * message cites (for annotations), the usage figures billing prices, and the streamed content of each choice
 * (citations are found in the final text).
 */
final class Retrieval {

    final ArrayNode sources;
    final Map<Integer, Citations.Cited> cited;
    /** What it read and injected, as billing prices it. */
    final WebExtractUse.Used used;
    final Map<Integer, StringBuilder> streamedContent = new HashMap<>();
    boolean sourcesSent;

    Retrieval(ArrayNode sources, Map<Integer, Citations.Cited> cited, WebExtractUse.Used used) {
        this.sources = sources;
        this.cited = cited;
        this.used = used;
    }

    /** {@code {"pages", "chars", "injected_tokens"}}, added to the response's usage. */
    ObjectNode usage(ObjectNode into) {
        ObjectNode u = into.putObject("web_extract");
        u.put("pages", used.pages());
        u.put("chars", used.chars());
        u.put("injected_tokens", used.injectedTokens());
        return u;
    }
}
