package dev.sluice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON ingress routes know their caller before they read a body: a request without a valid key is refused
 * from its headers alone, while its body is still unsent, and large uploads share a bounded number of slots.
 * Raw sockets, because an HTTP client sends the whole body before it looks at the answer.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
@TestProfile(JsonIngressTest.LargeBodies.class)
class JsonIngressTest {

    /** The production body limit (20 MB), and a low cap on concurrent large uploads to reach it in a test. */
    public static class LargeBodies implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.max-body-size", "20M", "sluice.uploads.large-body", "64K",
                    "sluice.uploads.max-concurrent-large", "2");
        }
    }

    private static final int FOUR_MB = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFourMegabyteBodyWithoutAKeyIsRefusedBeforeItIsSent() throws Exception {
        for (String path : List.of("/v1/chat/completions", "/v1/embeddings")) {
            try (Socket socket = open()) {
                // only the head goes out: the 4 MB the head announces are never sent
                send(socket, head(path, FOUR_MB, null));
                Answer answer = read(socket);
                assertEquals(401, answer.status(), path + ": " + answer);
                assertEquals("missing_api_key", answer.json().path("error").path("code").asText(), answer.toString());
                assertTrue(answer.head().toLowerCase().contains("connection: close"), answer.head());
            }
        }
    }

    @Test
    void aWrongKeyIsRefusedBeforeTheBodyToo() throws Exception {
        try (Socket socket = open()) {
            send(socket, head("/v1/chat/completions", FOUR_MB, "sk-not-a-key-of-this-gateway-at-all"));
            send(socket, new byte[1000]);
            Answer answer = read(socket);
            assertEquals(401, answer.status(), answer.toString());
            assertEquals("invalid_api_key", answer.json().path("error").path("code").asText());
        }
    }

    @Test
    void aValidKeyWaitingFor100ContinueIsToldToSendItsBody() throws Exception {
        try (Socket socket = open()) {
            String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + MockUpstream.MASTER_KEY + "\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 2\r\n\r\n";
            send(socket, head.getBytes(StandardCharsets.US_ASCII));
            String interim = new String(socket.getInputStream().readNBytes(25), StandardCharsets.US_ASCII);
            assertTrue(interim.startsWith("HTTP/1.1 100 Continue"), interim);
            send(socket, "{}".getBytes(StandardCharsets.US_ASCII));
            Answer answer = read(socket);
            assertEquals(400, answer.status(), "the body was read and judged: " + answer);
        }
    }

    @Test
    void concurrentLargeUploadsShareABoundedNumberOfSlots() throws Exception {
        List<Socket> uploading = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = open();
                uploading.add(s);
                send(s, head("/v1/chat/completions", 1024 * 1024, MockUpstream.MASTER_KEY));
                send(s, new byte[10_000]);
            }
            Thread.sleep(300); // both are being read by now
            try (Socket third = open()) {
                send(third, head("/v1/chat/completions", 1024 * 1024, MockUpstream.MASTER_KEY));
                Answer answer = read(third);
                assertEquals(503, answer.status(), answer.toString());
                assertEquals("uploads_busy", answer.json().path("error").path("code").asText());
                assertTrue(answer.head().toLowerCase().contains("retry-after: 1"), answer.head());
            }
        } finally {
            for (Socket s : uploading) {
                s.close();
            }
        }
        // the slots come back when the uploads end, however they end
        long deadline = System.currentTimeMillis() + 5000;
        int status;
        do {
            Thread.sleep(50);
            try (Socket again = open()) {
                byte[] body = "{\"model\":\"openai/gpt-4o\"}".getBytes(StandardCharsets.US_ASCII);
                byte[] padded = new byte[100_000];
                java.util.Arrays.fill(padded, (byte) ' ');
                System.arraycopy(body, 0, padded, 0, body.length);
                send(again, head("/v1/chat/completions", padded.length, MockUpstream.MASTER_KEY));
                send(again, padded);
                status = read(again).status();
            }
        } while (status == 503 && System.currentTimeMillis() < deadline);
        assertEquals(400, status, "a large upload is read again once the others have gone");
    }

    private static Socket open() throws IOException {
        Socket socket = new Socket("127.0.0.1", RestAssured.port);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static byte[] head(String path, int length, String key) {
        return ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void send(Socket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    record Answer(int status, String head, JsonNode json) {
    }

    /** Reads one answer with a Content-Length; fails if none comes within the socket's timeout. */
    static Answer read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed before an answer: " + head);
                }
                head.write(b);
                matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 5 s (the server is waiting for the body)", e);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(text.substring(9, 12));
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Answer(status, text, length == 0 ? JSON.createObjectNode() : JSON.readTree(body));
    }
}
