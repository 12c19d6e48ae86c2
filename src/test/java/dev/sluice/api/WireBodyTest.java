package dev.sluice.api;

import dev.sluice.openai.WireBody;
import dev.sluice.openai.ChatBody;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class WireBodyTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheModelValueIsReplacedAndEveryOtherByteIsKept() throws Exception {
        String raw = "{ \"messages\" : [{\"role\":\"user\",\"content\":\"model: \\\"x\\\" é\"}],\n  \"model\" : \"openai/gpt-4o\","
                + " \"temperature\":0.70, \"nested\":{\"model\":\"inner\"}}";
        byte[] out = WireBody.spliceModel(utf8(raw), "gpt-4o", mapper);
        assertEquals(raw.replace("\"openai/gpt-4o\"", "\"gpt-4o\""), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void modelNamesAreJsonEscaped() throws Exception {
        byte[] out = WireBody.spliceModel(utf8("{\"model\":\"a\"}"), "we\"ird\\", mapper);
        assertEquals("{\"model\":\"we\\\"ird\\\\\"}", new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void aNonStringModelCannotBeSpliced() throws Exception {
        assertNull(WireBody.spliceModel(utf8("{\"model\":42}"), "x", mapper));
    }

    @Test
    void anUntouchedBodyWithTheSameModelIsForwardedAsTheVeryBytesReceived() throws Exception {
        byte[] raw = utf8("{\"model\":\"gpt-4o\",\"messages\":[]}");
        ChatBody body = new ChatBody(raw, (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(raw), null, t -> null);
        assertSame(raw, body.encodeFor("gpt-4o", mapper));
    }

    @Test
    void anEditedBodyIsReEncodedWithTheEdits() throws Exception {
        byte[] raw = utf8("{\"model\":\"openai/gpt-4o\",\"messages\":[],\"web_extract\":{}}");
        ChatBody body = new ChatBody(raw, (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(raw), null, t -> null);
        body.edit().remove("web_extract");
        assertEquals("{\"model\":\"gpt-4o\",\"messages\":[]}", new String(body.encodeFor("gpt-4o", mapper),
                StandardCharsets.UTF_8));
        assertEquals("openai/gpt-4o", body.model(), "the client's request itself is left as it was");
    }
}
