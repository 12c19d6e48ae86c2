package dev.sluice.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatBody;
import dev.sluice.openai.ChatCompletionRequest;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Chat requests and upstream answers built from JSON text, for mapper tests that run without Quarkus. */
public final class ChatBodies {

    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ChatBodies() {
    }

    /** A chat request as the edge hands it to an adapter: the client's tree and its typed view. */
    public static ChatBody chat(String json) {
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(raw);
            return new ChatBody(raw, tree, JSON.treeToValue(tree, ChatCompletionRequest.class),
                    t -> JSON.convertValue(t, ChatCompletionRequest.class));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A JSON object, e.g. an upstream's answer. */
    public static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Asserts the 400 a client receives for a parameter its provider cannot honour. */
    public static ApiException assertRefused(String param, String message, Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertEquals(400, e.status());
        assertEquals(Unsupported.CODE, e.code());
        assertEquals(param, e.param());
        assertEquals(message, e.getMessage());
        return e;
    }
}
