package dev.sluice.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.file.Files;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for every upstream provider: one HTTP server where each provider has its own path prefix
 * ({@code /openai/v1}, {@code /groq/v1}, ...). Tests program answers per route with {@link #on} and read what
 * Sluice sent with {@link #received}. Unprogrammed routes answer like a healthy OpenAI-compatible server.
 *
 * <p>Started once for the whole test run; {@link #reset()} clears programmed routes and recordings.
 */
public class MockUpstream implements QuarkusTestResourceLifecycleManager {

    public static final String OPENAI_KEY = "sk-test-openai-key-0123456789abcdef";
    public static final String GROQ_KEY = "gsk-test-groq-key-0123456789";
    public static final String MASTER_KEY = "sk-test-master-key-0123456789abcdef0123";
    public static final String ANTHROPIC_KEY = "sk-ant-test-key-0123456789abcdef";
    public static final String AZURE_KEY = "azure-test-key-0123456789abcdef";
    public static final String AZURE_V1_KEY = "azure-v1-test-key-0123456789abcdef";
    public static final String GEMINI_KEY = "AIzaSy-test-gemini-key-0123456789";
    /** AWS's documented example credentials, as the Bedrock mock's signing identity. */
    public static final String AWS_ACCESS_KEY_ID = "AKIDEXAMPLE";
    public static final String AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public static final String AWS_SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0123456789";

    /** A request as the upstream received it. */
    public record Received(String method, String path, MultiMap headers, String body, String uri) {
        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    private static final Map<String, Handler<RoutingContext>> ROUTES = new ConcurrentHashMap<>();
    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static Vertx vertx;
    private static HttpServer server;
    private static HttpServer pages;
    private static int port;
    private static int pagesPort;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(64 * 1024 * 1024));
        router.route().handler(ctx -> {
            RECEIVED.add(new Received(ctx.request().method().name(), ctx.request().path(),
                    MultiMap.caseInsensitiveMultiMap().addAll(ctx.request().headers()),
                    ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString(),
                    ctx.request().uri()));
            Handler<RoutingContext> programmed = ROUTES.get(ctx.request().method().name() + " " + ctx.request().path());
            (programmed != null ? programmed : defaults(ctx.request().path())).handle(ctx);
        });
        try {
            server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            port = server.actualPort();
            // the same routes on 127.0.0.2, an address the tests explicitly allow the page fetcher to reach
            pages = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.2")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            pagesPort = pages.actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("mock upstream did not start", e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("sluice.providers.openai.base-url", url("/openai/v1"));
        config.put("sluice.providers.openai.api-key", OPENAI_KEY);
        config.put("sluice.providers.groq.base-url", url("/groq/v1"));
        config.put("sluice.providers.groq.api-key", GROQ_KEY);
        // a keyless local server configured by its conventional base URL (no /v1)
        config.put("sluice.providers.ollama.base-url", url("/ollama"));
        // custom providers that misbehave
        config.put("sluice.providers.slowpoke.base-url", url("/slowpoke/v1"));
        config.put("sluice.providers.slowpoke.api-key", "sk-slowpoke-key-123456");
        config.put("sluice.providers.slowpoke.timeout", "1s");
        config.put("sluice.providers.broken.base-url", url("/broken/v1"));
        config.put("sluice.providers.broken.api-key", "sk-broken-key-123456");
        config.put("sluice.providers.nowhere.base-url", "http://127.0.0.1:1/v1");
        config.put("sluice.providers.nowhere.api-key", "sk-nowhere-key-123456");
        // native adapters, each on its own path prefix
        config.put("sluice.providers.anthropic.base-url", url("/anthropic"));
        config.put("sluice.providers.anthropic.api-key", ANTHROPIC_KEY);
        config.put("sluice.providers.azure.base-url", url("/azure"));
        config.put("sluice.providers.azure.api-key", AZURE_KEY);
        config.put("sluice.providers.azure.options.deployments.gpt-4o", "prod-gpt4o");
        config.put("sluice.providers.azure.options.deployments.text-embedding-3-small", "embed-small");
        config.put("sluice.providers.azure-v1.kind", "azure");
        config.put("sluice.providers.azure-v1.base-url", url("/azure-v1/openai/v1"));
        config.put("sluice.providers.azure-v1.api-key", AZURE_V1_KEY);
        config.put("sluice.providers.azure-v1.options.deployments", "gpt-4o=gpt4o-v1,gpt-4.1-mini=mini-v1");
        config.put("sluice.providers.gemini.base-url", url("/gemini"));
        config.put("sluice.providers.gemini.api-key", GEMINI_KEY);
        config.put("sluice.providers.gemini.options.image-max-bytes", "64K");
        config.put("sluice.providers.bedrock.base-url", url("/bedrock"));
        config.put("sluice.providers.bedrock.api-key", "");
        config.put("sluice.providers.bedrock.options.region", "us-east-1");
        config.put("sluice.providers.bedrock.options.access-key-id", AWS_ACCESS_KEY_ID);
        config.put("sluice.providers.bedrock.options.secret-access-key", AWS_SECRET_ACCESS_KEY);
        config.put("sluice.providers.bedrock.options.session-token", AWS_SESSION_TOKEN);
        config.put("sluice.providers.bedrock.options.control-base-url", url("/bedrock-control"));
        // a provider with round prices, for billing tests: $1 / $2 / $0.50 per million input / output / cached
        config.put("sluice.providers.billed.base-url", url("/billed/v1"));
        config.put("sluice.providers.billed.api-key", "sk-billed-key-0123456789");
        config.put("sluice.billing.prices.\"billed/*\".input", "1.00");
        // the same round prices for one Anthropic, one Gemini and one Claude-on-Bedrock model, to check settlement
        // through adapters
        for (String model : List.of("anthropic/claude-test", "gemini/gemini-test", "bedrock/anthropic.claude-test")) {
            config.put("sluice.billing.prices.\"" + model + "\".input", "1.00");
            config.put("sluice.billing.prices.\"" + model + "\".output", "2.00");
            config.put("sluice.billing.prices.\"" + model + "\".cached-input", "0.50");
            config.put("sluice.billing.prices.\"" + model + "\".cache-write", "1.25");
        }
        config.put("sluice.billing.prices.\"billed/*\".output", "2.00");
        config.put("sluice.billing.prices.\"billed/*\".cached-input", "0.50");
        config.put("sluice.aliases.fast", "groq/llama-3.1-8b-instant");
        config.put("sluice.aliases.smart", "openai/gpt-4o");
        config.put("sluice.master-key", MASTER_KEY);
        config.put("sluice.models.list-timeout", "1s");
        config.put("sluice.upstream.stream-idle-timeout", "2s");
        config.put("sluice.max-body-size", "1M");
        config.put("sluice.extract.allowed-cidrs", "127.0.0.2/32");
        // for test profiles that point a setting at the page server: ${test.pages-url}/path
        config.put("test.pages-url", pageUrl(""));
        try {
            config.put("sluice.data-dir", Files.createTempDirectory("sluice-test-data").toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        routing(config);
        return config;
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    public static String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A page URL on the explicitly allowed page server (127.0.0.2); program it with {@link #on}. */
    public static String pageUrl(String path) {
        return "http://127.0.0.2:" + pagesPort + path;
    }

    /** Replies with an HTML page. */
    public static Handler<RoutingContext> html(String html) {
        return ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(html);
    }

    /** Programs the answer of one route, e.g. {@code on("POST", "/openai/v1/chat/completions", ctx -> ...)}. */
    public static void on(String method, String path, Handler<RoutingContext> handler) {
        ROUTES.put(method + " " + path, handler);
    }

    public static void reset() {
        ROUTES.clear();
        RECEIVED.clear();
    }

    public static List<Received> received() {
        return List.copyOf(RECEIVED);
    }

    /** The last request received on a path. */
    public static Received last(String path) {
        for (int i = RECEIVED.size() - 1; i >= 0; i--) {
            if (RECEIVED.get(i).path().equals(path)) {
                return RECEIVED.get(i);
            }
        }
        throw new AssertionError("the upstream received nothing on " + path + "; it received " + RECEIVED);
    }

    public static Vertx vertx() {
        return vertx;
    }

    // ---- answers ---------------------------------------------------------------------------------------------

    /** Replies with a JSON body and status. */
    public static Handler<RoutingContext> json(int status, String body) {
        return ctx -> ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
    }

    /** Replies with SSE events written with a pause before each (each string is the whole event payload). */
    public static Handler<RoutingContext> sse(Duration pause, String... dataPayloads) {
        return ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            writeEvents(ctx, pause, dataPayloads, 0);
        };
    }

    private static void writeEvents(RoutingContext ctx, Duration pause, String[] payloads, int i) {
        if (i == payloads.length) {
            ctx.response().end();
            return;
        }
        Runnable write = () -> {
            if (!ctx.response().closed()) {
                ctx.response().write("data: " + payloads[i] + "\n\n");
                writeEvents(ctx, pause, payloads, i + 1);
            }
        };
        if (pause.isZero()) {
            write.run();
        } else {
            vertx.setTimer(pause.toMillis(), t -> write.run());
        }
    }

    /**
     * Replies with a recorded SSE body written as it appears on the wire ({@code event:} and {@code data:} lines,
     * events separated by a blank line), one event at a time with a pause before each.
     */
    public static Handler<RoutingContext> recordedSse(Duration pause, String body) {
        String[] events = body.strip().split("\n\n");
        return ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
            writeRaw(ctx, pause, events, 0);
        };
    }

    private static void writeRaw(RoutingContext ctx, Duration pause, String[] events, int i) {
        if (i == events.length) {
            ctx.response().end();
            return;
        }
        Runnable write = () -> {
            if (!ctx.response().closed()) {
                ctx.response().write(events[i] + "\n\n");
                writeRaw(ctx, pause, events, i + 1);
            }
        };
        if (pause.isZero()) {
            write.run();
        } else {
            vertx.setTimer(pause.toMillis(), t -> write.run());
        }
    }

    private static Handler<RoutingContext> defaults(String path) {
        if (path.startsWith("/anthropic/")) {
            return anthropicDefaults(path);
        }
        if (path.startsWith("/gemini/")) {
            return geminiDefaults(path);
        }
        if (path.startsWith("/bedrock")) {
            return bedrockDefaults(path);
        }
        if (path.startsWith("/slowpoke")) {
            return ctx -> vertx.setTimer(10_000, t -> {
                if (!ctx.response().closed()) {
                    json(200, completion("late")).handle(ctx);
                }
            });
        }
        if (path.startsWith("/broken")) {
            return json(500, "{\"error\":{\"message\":\"internal failure\",\"type\":\"server_error\"}}");
        }
        if (path.endsWith("/models")) {
            String provider = path.substring(1, path.indexOf('/', 1));
            return json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + provider + "-model-a\",\"object\":\"model\","
                    + "\"created\":1700000000,\"owned_by\":\"" + provider + "\"},{\"id\":\"gpt-4o\",\"object\":\"model\","
                    + "\"created\":1700000001,\"owned_by\":\"" + provider + "\"}]}");
        }
        if (path.endsWith("/embeddings")) {
            return json(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                    + "\"embedding\":[0.1,-0.2,0.3]}],\"model\":\"text-embedding-3-small\","
                    + "\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}");
        }
        if (path.endsWith("/chat/completions")) {
            return ctx -> {
                JsonObject body = new JsonObject(ctx.body().asString());
                if (body.getBoolean("stream", false)) {
                    sse(Duration.ZERO, chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                            chunk("{\"content\":\"Hello\"}", null), chunk("{\"content\":\" there\"}", null),
                            chunk("{}", "stop"), "[DONE]").handle(ctx);
                } else {
                    json(200, completion("Hello there")).handle(ctx);
                }
            };
        }
        return json(404, "{\"error\":{\"message\":\"no such route in the mock\",\"type\":\"invalid_request_error\"}}");
    }

    /** A healthy Anthropic API: a short answer (streamed when asked) and a one-page model list. */
    private static Handler<RoutingContext> anthropicDefaults(String path) {
        if (path.equals("/anthropic/v1/models")) {
            return json(200, "{\"data\":[{\"type\":\"model\",\"id\":\"claude-sonnet-4-5-20250929\","
                    + "\"display_name\":\"Claude Sonnet 4.5\",\"created_at\":\"2025-09-29T00:00:00Z\"}],"
                    + "\"has_more\":false,\"first_id\":\"claude-sonnet-4-5-20250929\","
                    + "\"last_id\":\"claude-sonnet-4-5-20250929\"}");
        }
        if (path.equals("/anthropic/v1/messages")) {
            return ctx -> {
                JsonObject body = new JsonObject(ctx.body().asString());
                if (body.getBoolean("stream", false)) {
                    recordedSse(Duration.ZERO, """
                            event: message_start
                            data: {"type":"message_start","message":{"id":"msg_mock","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":9,"output_tokens":1}}}

                            event: content_block_start
                            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                            event: content_block_delta
                            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello there"}}

                            event: content_block_stop
                            data: {"type":"content_block_stop","index":0}

                            event: message_delta
                            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}

                            event: message_stop
                            data: {"type":"message_stop"}
                            """).handle(ctx);
                } else {
                    json(200, "{\"id\":\"msg_mock\",\"type\":\"message\",\"role\":\"assistant\","
                            + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\","
                            + "\"text\":\"Hello there\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                            + "\"usage\":{\"input_tokens\":9,\"output_tokens\":2}}").handle(ctx);
                }
            };
        }
        return json(404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\","
                + "\"message\":\"Not found\"}}");
    }

    /** A healthy Gemini API: a short answer (streamed when asked), embeddings and a one-page model list. */
    private static Handler<RoutingContext> geminiDefaults(String path) {
        if (path.equals("/gemini/v1beta/models")) {
            return json(200, "{\"models\":[{\"name\":\"models/gemini-2.5-flash\",\"displayName\":\"Gemini 2.5 Flash\","
                    + "\"supportedGenerationMethods\":[\"generateContent\",\"countTokens\"]},"
                    + "{\"name\":\"models/gemini-embedding-001\",\"supportedGenerationMethods\":[\"embedContent\"]}]}");
        }
        if (path.endsWith(":streamGenerateContent")) {
            return sse(Duration.ZERO,
                    "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello\"}],\"role\":\"model\"},\"index\":0}],"
                            + "\"usageMetadata\":{\"promptTokenCount\":9,\"totalTokenCount\":9},\"modelVersion\":\"gemini-2.5-flash\","
                            + "\"responseId\":\"mockStreamId\"}",
                    "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\" there\"}],\"role\":\"model\"},"
                            + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":9,"
                            + "\"candidatesTokenCount\":2,\"totalTokenCount\":11},\"modelVersion\":\"gemini-2.5-flash\","
                            + "\"responseId\":\"mockStreamId\"}");
        }
        if (path.endsWith(":generateContent")) {
            return json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello there\"}],\"role\":\"model\"},"
                    + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":9,"
                    + "\"candidatesTokenCount\":2,\"totalTokenCount\":11},\"modelVersion\":\"gemini-2.5-flash\","
                    + "\"responseId\":\"mockId\"}");
        }
        if (path.endsWith(":embedContent")) {
            return json(200, "{\"embedding\":{\"values\":[0.1,-0.2,0.3]}}");
        }
        return json(404, "{\"error\":{\"code\":404,\"message\":\"no such route in the mock\",\"status\":\"NOT_FOUND\"}}");
    }

    /** A healthy Bedrock: a short Converse answer (an event stream when asked) and the control plane's lists. */
    private static Handler<RoutingContext> bedrockDefaults(String path) {
        if (path.equals("/bedrock-control/foundation-models")) {
            return json(200, "{\"modelSummaries\":[{\"modelId\":\"anthropic.claude-3-haiku-20240307-v1:0\","
                    + "\"modelName\":\"Claude 3 Haiku\",\"providerName\":\"Anthropic\",\"outputModalities\":[\"TEXT\"],"
                    + "\"inferenceTypesSupported\":[\"ON_DEMAND\"],\"modelLifecycle\":{\"status\":\"ACTIVE\"}}]}");
        }
        if (path.equals("/bedrock-control/inference-profiles")) {
            return json(200, "{\"inferenceProfileSummaries\":[{\"inferenceProfileId\":"
                    + "\"us.anthropic.claude-sonnet-4-20250514-v1:0\",\"status\":\"ACTIVE\",\"type\":\"SYSTEM_DEFINED\"}]}");
        }
        if (path.endsWith("/converse-stream")) {
            return EventStream.reply(Duration.ZERO, List.of(
                    EventStream.event("messageStart", "{\"role\":\"assistant\",\"p\":\"abcd\"}"),
                    EventStream.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello there\"}}"),
                    EventStream.event("contentBlockStop", "{\"contentBlockIndex\":0}"),
                    EventStream.event("messageStop", "{\"stopReason\":\"end_turn\"}"),
                    EventStream.event("metadata", "{\"usage\":{\"inputTokens\":9,\"outputTokens\":2,\"totalTokens\":11},"
                            + "\"metrics\":{\"latencyMs\":120}}")));
        }
        if (path.endsWith("/converse")) {
            return json(200, "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Hello there\"}]}},"
                    + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":9,\"outputTokens\":2,\"totalTokens\":11},"
                    + "\"metrics\":{\"latencyMs\":120}}");
        }
        return ctx -> ctx.response().setStatusCode(404).putHeader("x-amzn-ErrorType", "UnknownOperationException")
                .putHeader("content-type", "application/json").end("{\"message\":\"no such route in the mock\"}");
    }

    public static String completion(String content) {
        return "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o-2024-08-06\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},"
                + "\"finish_reason\":\"stop\",\"logprobs\":null}],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}";
    }

    public static String chunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    // ---- routing: model groups over fault-injecting deployments ------------------------------------------------

    /** Where the routing files the gateway reads were written (copies of src/test/resources/routing). */
    private static java.nio.file.Path routingDir;

    /**
     * Points Sluice at the test routing files: models.yaml (Sluice's format, using the {@code ${mock.url}}
     * property, and {@code ${blackhole.url}}, an address where connection attempts hang), litellm-config.yaml
     * (LiteLLM's format, with the mock's address written in) and reload.yaml (rewritten by the reload tests).
     * Deployments live under {@code /rt/<name>/v1} and {@code /lite/<name>/v1}.
     */
    private static void routing(Map<String, String> config) {
        try {
            routingDir = Files.createTempDirectory("sluice-test-routing");
            List<String> files = new java.util.ArrayList<>();
            for (String name : List.of("models.yaml", "litellm-config.yaml", "reload.yaml")) {
                String text;
                try (var in = MockUpstream.class.getResourceAsStream("/routing/" + name)) {
                    text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
                java.nio.file.Path file = routingDir.resolve(name);
                Files.writeString(file, text.replace("{{MOCK}}", url("")));
                files.add(file.toString());
            }
            config.put("mock.url", url(""));
            config.put("blackhole.url", Blackhole.url());
            config.put("sluice.routing.config-file", String.join(",", files));
            config.put("sluice.routing.watch-interval", "300ms");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write the test routing files", e);
        }
    }

    /** A routing file the gateway reads, e.g. {@code routingFile("reload.yaml")}. */
    public static java.nio.file.Path routingFile(String name) {
        return routingDir.resolve(name);
    }

    /** Never answers (the connection stays open). */
    public static Handler<RoutingContext> hang() {
        return ctx -> {
        };
    }

    /** Answers 429 with a Retry-After (seconds), or without one when null. */
    public static Handler<RoutingContext> rateLimited(String retryAfter) {
        return ctx -> {
            ctx.response().setStatusCode(429).putHeader("content-type", "application/json");
            if (retryAfter != null) {
                ctx.response().putHeader("retry-after", retryAfter);
            }
            ctx.response().end("{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\","
                    + "\"code\":\"rate_limit_exceeded\"}}");
        };
    }

    /** Answers 500. */
    public static Handler<RoutingContext> serverError() {
        return json(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}");
    }

    /** Answers 401, as a provider does for a revoked key. */
    public static Handler<RoutingContext> unauthorized() {
        return json(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
                + "\"code\":\"invalid_api_key\"}}");
    }

    /** Starts a 200 JSON response, sends part of the body, then resets the connection. */
    public static Handler<RoutingContext> resetMidBody() {
        return ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "application/json");
            ctx.response().write("{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"choi");
            vertx.setTimer(50, t -> ctx.request().connection().close());
        };
    }

    /** Sends the stream headers and the given events, then closes the connection without [DONE]. */
    public static Handler<RoutingContext> truncatedStream(String... dataPayloads) {
        return ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            for (String p : dataPayloads) {
                ctx.response().write("data: " + p + "\n\n");
            }
            vertx.setTimer(50, t -> ctx.request().connection().close());
        };
    }

    /** Answers normally (whole or streamed, as asked) after a delay before the first byte. */
    public static Handler<RoutingContext> slowFirstByte(Duration delay) {
        return ctx -> vertx.setTimer(delay.toMillis(), t -> {
            if (!ctx.response().closed()) {
                defaults(ctx.request().path()).handle(ctx);
            }
        });
    }

    /** The default healthy answer of a path, for handlers that misbehave only sometimes. */
    public static Handler<RoutingContext> healthy() {
        return ctx -> defaults(ctx.request().path()).handle(ctx);
    }

    /** How many requests a path received since the last reset. */
    public static long count(String path) {
        return RECEIVED.stream().filter(r -> r.path().equals(path)).count();
    }

    /** A completion with the given usage. */
    public static String completion(String content, int prompt, int completion) {
        return completion(content).replace("\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}",
                "\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
                        + (prompt + completion) + "}");
    }

    public static String usageChunk(int prompt, int completion) {
        return "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt
                + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion) + "}}";
    }

}
