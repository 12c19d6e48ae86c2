package dev.sluice.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletionReplayTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static final String TEXT = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o",
             "choices":[{"index":0,"message":{"role":"assistant","content":"The weather in Paris is sunny and warm today, with a light breeze from the west."},
               "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":18,"total_tokens":30}}""";

    static final String TOOLS = """
            {"id":"chatcmpl-2","object":"chat.completion","created":1700000001,"model":"gpt-4o",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
               {"id":"call_a","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
               {"id":"call_b","type":"function","function":{"name":"time","arguments":"{}"}}]},
               "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":40,"completion_tokens":20,"total_tokens":60}}""";

    @Test
    void aCompletionIsReplayedRoleFirstTextInPiecesFinishThenUsage() throws Exception {
        ObjectNode completion = (ObjectNode) MAPPER.readTree(TEXT);
        List<ObjectNode> chunks = CompletionReplay.chunks(completion, MAPPER);
        assertEquals("assistant", chunks.get(0).at("/choices/0/delta/role").asText());
        ObjectNode usage = chunks.get(chunks.size() - 1);
        assertTrue(usage.path("choices").isEmpty());
        assertEquals(30, usage.at("/usage/total_tokens").asInt());
        ObjectNode finish = chunks.get(chunks.size() - 2);
        assertEquals("stop", finish.at("/choices/0/finish_reason").asText());
        List<ObjectNode> text = chunks.subList(1, chunks.size() - 2);
        assertTrue(text.size() >= 3, "the text arrives in several chunks: " + text.size());
        StringBuilder joined = new StringBuilder();
        for (ObjectNode c : text) {
            assertEquals("chat.completion.chunk", c.path("object").asText());
            assertEquals("chatcmpl-1", c.path("id").asText());
            joined.append(c.at("/choices/0/delta/content").asText());
        }
        assertEquals(completion.at("/choices/0/message/content").asText(), joined.toString());
    }

    @Test
    void aStreamAssemblesBackIntoTheSameCompletion() throws Exception {
        for (String fixture : List.of(TEXT, TOOLS)) {
            ObjectNode completion = (ObjectNode) MAPPER.readTree(fixture);
            StreamAssembly assembly = new StreamAssembly(MAPPER);
            ObjectNode usage = null;
            for (ObjectNode chunk : CompletionReplay.chunks(completion, MAPPER)) {
                assembly.add(chunk);
                if (chunk.get("usage") instanceof ObjectNode u) {
                    usage = u;
                }
            }
            assertEquals(completion.toString(), assembly.completion(usage).toString(), fixture);
        }
    }

    @Test
    void toolCallsAreGatheredFromFragments() throws Exception {
        StreamAssembly assembly = new StreamAssembly(MAPPER);
        for (String chunk : List.of(
                "{\"id\":\"c\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"ci\"}}]}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":1}\"}}]}}]}",
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}")) {
            assembly.add((ObjectNode) MAPPER.readTree(chunk));
        }
        JsonNode message = assembly.completion(null).at("/choices/0/message");
        assertTrue(message.get("content").isNull());
        assertEquals("call_1", message.at("/tool_calls/0/id").asText());
        assertEquals("{\"city\":1}", message.at("/tool_calls/0/function/arguments").asText());
    }

    @Test
    void anUnfinishedStreamAssemblesToNothing() throws Exception {
        StreamAssembly assembly = new StreamAssembly(MAPPER);
        assembly.add((ObjectNode) MAPPER.readTree(
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hal\"},\"finish_reason\":null}]}"));
        assertNull(assembly.completion(null));
        assertNull(new StreamAssembly(MAPPER).completion(null));
    }

    @Test
    void piecesKeepWordsAndSurrogatePairsWhole() {
        String text = "Grüße aus Paris 😀😀😀😀😀😀😀😀😀😀😀😀😀😀 und noch ein paar Wörter dazu.";
        List<String> pieces = CompletionReplay.pieces(text);
        assertEquals(text, String.join("", pieces));
        for (String p : pieces) {
            assertTrue(!Character.isHighSurrogate(p.charAt(p.length() - 1)), p);
        }
    }
}
