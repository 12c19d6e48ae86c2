package dev.sluice.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream without usage is charged for the text it relayed: content, reasoning, refusals and tool calls all
 * count; roles, ids and other non-text fields do not.
 */
class ProducedTextTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyKindOfGeneratedTextIsKeptInOrder() throws Exception {
        ProducedText text = new ProducedText();
        text.collect(JSON.readTree("{\"role\":\"assistant\",\"reasoning_content\":\"think \"}"));
        text.collect(JSON.readTree("{\"reasoning\":\"more \",\"content\":\"Hello\"}"));
        text.collect(JSON.readTree("{\"refusal\":\" no\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                + "\"function\":{\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\":1}\"}}]}"));
        assertEquals("think Hellomore  nolookup{\"q\":1}", text.text());
    }

    @Test
    void nothingButTextCounts() throws Exception {
        ProducedText text = new ProducedText();
        text.collect(JSON.readTree("{\"role\":\"assistant\",\"content\":null}"));
        text.collect(JSON.readTree("\"not a message\""));
        text.collect(null);
        text.collect(JSON.readTree("{\"content\":[{\"type\":\"text\",\"text\":\"parts are not relayed text\"}]}"));
        assertTrue(text.isEmpty(), text.text());
    }
}
