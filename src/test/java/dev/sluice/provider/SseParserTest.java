package dev.sluice.provider;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SseParserTest {

    private static List<SseEvent> parse(String... pieces) {
        SseParser parser = new SseParser();
        List<SseEvent> out = new ArrayList<>();
        for (String piece : pieces) {
            out.addAll(parser.feed(Buffer.buffer(piece)));
        }
        out.addAll(parser.finish());
        return out;
    }

    @Test
    void eventsSplitAnywhereAcrossNetworkChunksAreReassembled() {
        String stream = "data: {\"a\":1}\n\nevent: message_start\ndata: {\"b\":2}\n\ndata: [DONE]\n\n";
        for (int cut = 1; cut < stream.length(); cut++) {
            List<SseEvent> events = parse(stream.substring(0, cut), stream.substring(cut));
            assertEquals(3, events.size(), "cut at " + cut);
            assertEquals("{\"a\":1}", events.get(0).text());
            assertNull(events.get(0).event());
            assertEquals("message_start", events.get(1).event());
            assertEquals("{\"b\":2}", events.get(1).text());
            assertEquals("[DONE]", events.get(2).text());
        }
    }

    @Test
    void crlfAndCrLineEndsWorkEvenWhenSplitBetweenCrAndLf() {
        List<SseEvent> events = parse("data: x\r", "\n\r\ndata: y\r\rdata: z\n\n");
        assertEquals(List.of("x", "y", "z"), events.stream().map(SseEvent::text).toList());
    }

    @Test
    void commentsAndUnknownFieldsAreIgnoredAndDataLinesAreJoined() {
        List<SseEvent> events = parse(": keep-alive\n\nid: 7\nretry: 100\ndata: line one\ndata: line two\n\n");
        assertEquals(1, events.size());
        assertEquals("line one\nline two", events.get(0).text());
    }

    @Test
    void dataWithoutASpaceAfterTheColonAndAFinalEventWithoutBlankLine() {
        List<SseEvent> events = parse("data:{\"x\":1}\n\ndata: last");
        assertEquals(List.of("{\"x\":1}", "last"), events.stream().map(SseEvent::text).toList());
    }

    @Test
    void utf8SplitInsideAMultibyteCharacterSurvives() {
        byte[] bytes = "data: héllo 世界\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SseParser parser = new SseParser();
        List<SseEvent> out = new ArrayList<>();
        for (byte b : bytes) {
            out.addAll(parser.feed(Buffer.buffer(new byte[] {b})));
        }
        assertEquals("héllo 世界", out.get(0).text());
    }
}
