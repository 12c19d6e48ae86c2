package dev.sluice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.MockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A deterministic fuzz campaign (fixed seed) over the bodies and headers of chat, embeddings, extract, keys and
 * admin routes: truncated and invalid JSON, wrong types for every field, huge and negative numbers, deep nesting,
 * huge strings, invalid UTF-8, duplicate keys, wrong methods and content types, oversized and malformed headers.
 * Every answer must come (no hang), none may be a 5xx, every refusal Sluice writes is in OpenAI's envelope, no
 * configured secret appears in any answer, and the gateway serves normally afterwards. Raw sockets, so that
 * malformed requests reach the server as sent.
 *
 * <p>Refusals the HTTP codec makes before any handler runs (414 for a request line over 4 KB, 431 for a header
 * block over 20 KB (quarkus.http.limits.max-header-size), 400 for a byte a header may not hold or a bad %-escape in the path) are answered by Vert.x with
 * an empty body, which Quarkus offers no hook to change (docs/api.md says so); for them the campaign checks the
 * status only.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class FuzzTest {

    private static final long SEED = 13;
    private static final int CASES = 250;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SECRETS = List.of(MockUpstream.MASTER_KEY, MockUpstream.OPENAI_KEY,
            MockUpstream.GROQ_KEY, MockUpstream.ANTHROPIC_KEY, MockUpstream.AZURE_KEY, MockUpstream.GEMINI_KEY,
            MockUpstream.AWS_SECRET_ACCESS_KEY);
    private static final String[] PATHS = {"/v1/chat/completions", "/v1/embeddings", "/v1/extract", "/admin/keys",
            "/admin/usage", "/v1/models", "/admin/routes"};
    private static final String[] CHAT_FIELDS = {"model", "messages", "temperature", "top_p", "max_tokens", "n",
            "stream", "stop", "tools", "tool_choice", "response_format", "seed", "logit_bias", "user", "fallbacks",
            "web_extract", "stream_options", "max_completion_tokens", "presence_penalty", "metadata"};
    private static final String[] VALUES = {"null", "true", "-1", "0", "1e308", "-1e308", "99999999999999999999999",
            "1.5", "\"\"", "\"x\"", "[]", "{}", "[null]", "{\"a\":1}", "\"\\ud800\"", "\"\\u0000\"", "-0",
            "\"" + "y".repeat(70_000) + "\""};

    @BeforeEach
    void upstream() {
        MockUpstream.reset();
        MockUpstream.on("POST", "/openai/v1/chat/completions", MockUpstream.json(200, MockUpstream.completion("ok")));
        MockUpstream.on("POST", "/openai/v1/embeddings", MockUpstream.json(200,
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1]}],"
                        + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}"));
    }

    @Test
    void noRequestGetsA5xxAHangALeakedSecretOrAnAnswerOutsideTheEnvelope() throws Exception {
        Random random = new Random(SEED);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            Case c = generate(random);
            Answer a;
            try {
                a = send(c.raw());
            } catch (SocketTimeoutException e) {
                problems.add("case " + i + " hung: " + c.describe());
                continue;
            }
            check(i, c, a, problems);
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems:\n" + String.join("\n", problems.subList(0,
                Math.min(20, problems.size()))));

        // and the gateway still serves
        Answer after = send(request("POST", "/v1/chat/completions", "application/json", MockUpstream.MASTER_KEY, List.of(),
                "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, after.status(), after.body());
        assertEquals("ok", JSON.readTree(after.body()).path("choices").path(0).path("message").path("content").asText());
    }

    @Test
    void requestsTheHttpCodecRefusesGetTheirStatusAtOnce() throws Exception {
        // answered by Vert.x before any handler runs (empty body, documented in docs/api.md), never a 5xx or a hang
        assertEquals(400, send(request("GET", "/v1/models/%zz", "application/json", MockUpstream.MASTER_KEY, List.of(),
                new byte[0])).status());
        assertEquals(414, send(request("GET", "/v1/models/" + "a".repeat(5_000), "application/json",
                MockUpstream.MASTER_KEY, List.of(), new byte[0])).status());
        assertEquals(431, send(request("GET", "/v1/models", "application/json", "k".repeat(25_000), List.of(),
                new byte[0])).status());
    }

    private static void check(int i, Case c, Answer a, List<String> problems) {
        String where = "case " + i + " (" + c.describe() + ") -> " + a.status();
        if (a.status() >= 500) {
            problems.add(where + ": " + a.body().substring(0, Math.min(300, a.body().length())));
        }
        for (String secret : SECRETS) {
            if (a.head().contains(secret) || a.body().contains(secret)) {
                problems.add(where + ": leaks a configured secret");
            }
        }
        boolean codecRefusal = a.body().isEmpty() && (a.status() == 414 || a.status() == 431 || a.status() == 400);
        if (a.status() >= 400 && !codecRefusal) {
            try {
                JsonNode error = JSON.readTree(a.body()).path("error");
                if (!error.path("message").isTextual() || !error.path("type").isTextual() || !error.has("code")
                        || !error.has("param")) {
                    problems.add(where + ": not the envelope: " + a.body().substring(0, Math.min(200, a.body().length())));
                }
            } catch (IOException e) {
                problems.add(where + ": not JSON: " + a.body().substring(0, Math.min(200, a.body().length())));
            }
        }
    }

    record Case(String method, String path, String contentType, List<String> headers, String mutation, byte[] raw) {
        String describe() {
            return method + " " + path + " [" + mutation + "] headers=" + headers.size();
        }
    }

    private static Case generate(Random r) {
        String path = PATHS[r.nextInt(PATHS.length)];
        String method = r.nextInt(8) == 0 ? new String[] {"GET", "PUT", "DELETE", "PATCH", "OPTIONS"}[r.nextInt(5)]
                : path.equals("/v1/models") || path.equals("/admin/usage") || path.equals("/admin/routes") ? "GET" : "POST";
        String contentType = r.nextInt(10) == 0 ? new String[] {"text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data", "application/json; charset=latin1", ""}[r.nextInt(5)] : "application/json";
        List<String> headers = new ArrayList<>();
        int h = r.nextInt(12);
        if (h == 0) {
            headers.add("X-Big: " + "b".repeat(9_000));
        } else if (h == 1) {
            for (int k = 0; k < 200; k++) {
                headers.add("X-Many-" + k + ": v");
            }
        } else if (h == 2) {
            headers.add("X-Ctl: a\u0001b");
        } else if (h == 3) {
            headers.add("Expect: 200-maybe");
        } else if (h == 4) {
            headers.add("x-request-id: " + "\u00e9".repeat(40));
        }
        String key = switch (r.nextInt(10)) {
            case 0 -> null;
            case 1 -> "sk-wrong-" + r.nextInt(1000);
            case 2 -> "x".repeat(5_000);
            default -> MockUpstream.MASTER_KEY;
        };
        String base = path.startsWith("/v1/embeddings") ? "{\"model\":\"openai/text-embedding-3-small\",\"input\":\"hi\"}"
                : path.equals("/v1/extract") ? "{\"html\":\"<p>hello</p>\",\"format\":\"markdown\"}"
                : path.equals("/admin/keys") ? "{\"name\":\"fuzz\",\"credit_usd\":\"1\"}"
                : "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        String mutation;
        byte[] body;
        switch (r.nextInt(10)) {
            case 0 -> {
                mutation = "truncated";
                body = base.substring(0, r.nextInt(base.length())).getBytes(StandardCharsets.UTF_8);
            }
            case 1 -> {
                mutation = "not json";
                body = "{model: gpt, 'messages': [}".getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> {
                mutation = "deep nesting";
                int depth = 2_000 + r.nextInt(8_000);
                body = ("{\"model\":\"openai/gpt-4o\",\"messages\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                mutation = "invalid utf-8";
                byte[] b = base.getBytes(StandardCharsets.UTF_8);
                body = new byte[b.length + 3];
                System.arraycopy(b, 0, body, 0, b.length - 2);
                body[b.length - 2] = (byte) 0xC3;
                body[b.length - 1] = (byte) 0x28;
                body[b.length] = (byte) 0xFF;
                body[b.length + 1] = '"';
                body[b.length + 2] = '}';
            }
            case 4 -> {
                mutation = "duplicate keys";
                body = base.replaceFirst("\\{", "{\"model\":\"openai/gpt-4o\",\"model\":7,").getBytes(StandardCharsets.UTF_8);
            }
            case 5 -> {
                mutation = "empty";
                body = new byte[0];
            }
            default -> {
                String field = CHAT_FIELDS[r.nextInt(CHAT_FIELDS.length)];
                String value = VALUES[r.nextInt(VALUES.length)];
                mutation = field + "=" + (value.length() > 30 ? value.substring(0, 30) + "..." : value);
                String json = base.substring(0, base.length() - 1) + ",\"" + field + "\":" + value + "}";
                if (r.nextBoolean() && field.equals("messages")) {
                    json = "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":" + value + "}]}";
                }
                body = json.getBytes(StandardCharsets.UTF_8);
            }
        }
        return new Case(method, path, contentType, headers, mutation, request(method, path, contentType, key, headers, body));
    }

    private static byte[] request(String method, String path, String contentType, String key, List<String> headers,
                                  byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n")
                .append("Connection: close\r\n");
        if (!contentType.isEmpty()) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (key != null) {
            head.append("Authorization: Bearer ").append(key).append("\r\n");
        }
        headers.forEach(h -> head.append(h).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    record Answer(int status, String head, String body) {
    }

    /** Sends a whole request and reads the answer until the server closes (Connection: close). */
    private static Answer send(byte[] raw) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(raw);
                socket.getOutputStream().flush();
            } catch (IOException refusedWhileSending) {
                // the server answered and closed before taking the whole body: read what it said
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    all.write(buffer, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // a reset after the answer (unread body left behind): keep what arrived
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            if (split < 0) {
                fail("no answer at all: " + text);
            }
            String head = text.substring(0, split);
            String body = text.substring(split + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = body.replaceAll("(?m)^[0-9a-fA-F]+\r$", "");
            }
            assertFalse(head.isEmpty());
            return new Answer(Integer.parseInt(head.substring(9, 12)), head, body.strip());
        }
    }
}
