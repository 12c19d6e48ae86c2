package dev.sluice.provider.gemini;

import dev.sluice.testing.MockUpstream;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Gemini API wire cases, written after the examples of Google's Gemini API reference (generateContent,
 * streamGenerateContent, function calling, thinking, structured output, safety, embedContent, models.list, errors).
 * Stream fixtures keep the real SSE framing of {@code alt=sse}: one {@code data:} line per event, events separated
 * by a blank line, lines ended by CRLF as Google sends them.
 */
final class GeminiFixtures {

    private GeminiFixtures() {
    }

    /** generateContent reference: a text answer. */
    static final String TEXT = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [{"text": "AI learns patterns from data to make predictions or decisions."}],
                    "role": "model"
                  },
                  "finishReason": "STOP",
                  "avgLogprobs": -0.21
                }
              ],
              "usageMetadata": {
                "promptTokenCount": 8,
                "candidatesTokenCount": 11,
                "totalTokenCount": 19,
                "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 8}]
              },
              "modelVersion": "gemini-2.5-flash",
              "responseId": "mG-2aKWJLtqX1dkP7Zq3qAw"
            }
            """;

    /** Function calling guide: the model calls set_light_values (whole arguments in one part). */
    static final String FUNCTION_CALL = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [
                      {"functionCall": {"name": "set_light_values", "args": {"brightness": 25, "color_temp": "warm"}},
                       "thoughtSignature": "CiQB0e2Kb3dRh+BYdbZvmulSN2Pwwc75DfQOZRqSzx5O6DcIo2wKVwHR7YpvQA=="}
                    ],
                    "role": "model"
                  },
                  "finishReason": "STOP",
                  "index": 0
                }
              ],
              "usageMetadata": {"promptTokenCount": 74, "candidatesTokenCount": 21, "totalTokenCount": 155,
                                "thoughtsTokenCount": 60},
              "modelVersion": "gemini-3-pro-preview",
              "responseId": "Xn-2aO3qHp2b1dkPoszmsQE"
            }
            """;

    /** Function calling guide: parallel calls in one answer. */
    static final String PARALLEL_CALLS = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [
                      {"functionCall": {"name": "power_disco_ball", "args": {"power": true}}},
                      {"functionCall": {"name": "start_music", "args": {"energetic": true, "loud": true}}},
                      {"functionCall": {"name": "dim_lights", "args": {"brightness": 0.5}}}
                    ],
                    "role": "model"
                  },
                  "finishReason": "STOP",
                  "index": 0
                }
              ],
              "usageMetadata": {"promptTokenCount": 120, "candidatesTokenCount": 30, "totalTokenCount": 150},
              "modelVersion": "gemini-2.5-flash",
              "responseId": "a2-2aN7qB9qX1dkPvr2K6Qc"
            }
            """;

    /** Thinking guide: a thought summary (includeThoughts) before the answer; cached prompt tokens. */
    static final String THINKING = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [
                      {"text": "**Analyzing the problem**\\nThe prime factors of 2024 are needed.", "thought": true},
                      {"text": "2024 = 2^3 × 11 × 23."}
                    ],
                    "role": "model"
                  },
                  "finishReason": "STOP",
                  "index": 0
                }
              ],
              "usageMetadata": {"promptTokenCount": 2100, "candidatesTokenCount": 14, "totalTokenCount": 2538,
                                "cachedContentTokenCount": 2048, "thoughtsTokenCount": 424},
              "modelVersion": "gemini-2.5-pro",
              "responseId": "b3-2aPqQDdqX1dkP7Zq3qAw"
            }
            """;

    /** Safety guide: a prompt blocked before any candidate. */
    static final String BLOCKED_PROMPT = """
            {
              "promptFeedback": {
                "blockReason": "SAFETY",
                "safetyRatings": [
                  {"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"},
                  {"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "NEGLIGIBLE"},
                  {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"},
                  {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": true}
                ]
              },
              "usageMetadata": {"promptTokenCount": 12, "totalTokenCount": 12},
              "modelVersion": "gemini-2.5-flash"
            }
            """;

    /** An answer cut by the safety filter, and one cut by the output limit. */
    static String finished(String reason) {
        return """
                {"candidates": [{"content": {"parts": [{"text": "Partial"}], "role": "model"},
                                 "finishReason": "%s", "index": 0}],
                 "usageMetadata": {"promptTokenCount": 5, "candidatesTokenCount": 1, "totalTokenCount": 6},
                 "modelVersion": "gemini-2.5-flash", "responseId": "c4-2aPqQDdqX1dkP7Zq3qAw"}
                """.formatted(reason);
    }

    /** 1×1 PNG, as image-output models return their images (inline, base64). */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    /**
     * Image generation guide (gemini-2.5-flash-image / Gemini 3 Pro Image): text and a generated image, with a
     * draft image the model marked as a thought before it.
     */
    static final String IMAGE = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [
                      {"inlineData": {"mimeType": "image/png", "data": "ZHJhZnQ="}, "thought": true},
                      {"text": "Here is a nano banana dish in a fancy restaurant."},
                      {"inlineData": {"mimeType": "image/png", "data": "%s"}, "thoughtSignature": "EuYBCuMBAdHtim8"}
                    ],
                    "role": "model"
                  },
                  "finishReason": "STOP",
                  "index": 0
                }
              ],
              "usageMetadata": {"promptTokenCount": 12, "candidatesTokenCount": 1299, "totalTokenCount": 1311,
                                "candidatesTokensDetails": [{"modality": "IMAGE", "tokenCount": 1290}]},
              "modelVersion": "gemini-2.5-flash-image",
              "responseId": "img-2aPCqLdqX1dkP3cDb4Ac"
            }
            """.formatted(PNG);

    /** Code execution guide: the model writes Python, runs it, and answers from its output. */
    static final String CODE_EXECUTION = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [
                      {"text": "I'll calculate the sum of the first 50 prime numbers."},
                      {"executableCode": {"language": "PYTHON", "code": "primes = [n for n in range(2, 300) if all(n % d for d in range(2, n))][:50]\\nprint(sum(primes))"}},
                      {"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": "5117\\n"}},
                      {"text": "The sum of the first 50 prime numbers is 5117."}
                    ],
                    "role": "model"
                  },
                  "finishReason": "STOP",
                  "index": 0
                }
              ],
              "usageMetadata": {"promptTokenCount": 20, "candidatesTokenCount": 90, "totalTokenCount": 110,
                                "toolUsePromptTokenCount": 30},
              "modelVersion": "gemini-2.5-flash",
              "responseId": "code-2aPCqLdqX1dkP3cDb4Ac"
            }
            """;

    /**
     * Grounding with Google Search guide ("Who won the euro 2024?"): segment offsets are UTF-8 byte offsets of the
     * part, which differ from character indexes after the emoji.
     */
    static final String GROUNDED = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [{"text": "Spain won Euro 2024 \ud83c\udfc6, defeating England 2-1 in the final. This victory marks Spain's record fourth European Championship title."}],
                    "role": "model"
                  },
                  "finishReason": "STOP",
                  "index": 0,
                  "groundingMetadata": {
                    "webSearchQueries": ["UEFA Euro 2024 winner", "who won euro 2024"],
                    "searchEntryPoint": {"renderedContent": "<!-- HTML and CSS for the search widget -->"},
                    "groundingChunks": [
                      {"web": {"uri": "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AXiHM1", "title": "aljazeera.com"}},
                      {"web": {"uri": "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AXiHM2", "title": "uefa.com"}}
                    ],
                    "groundingSupports": [
                      {"segment": {"startIndex": 0, "endIndex": 61, "text": "Spain won Euro 2024 \ud83c\udfc6, defeating England 2-1 in the final."},
                       "groundingChunkIndices": [0]},
                      {"segment": {"startIndex": 62, "endIndex": 131, "text": "This victory marks Spain's record fourth European Championship title."},
                       "groundingChunkIndices": [0, 1]}
                    ]
                  }
                }
              ],
              "usageMetadata": {"promptTokenCount": 6, "candidatesTokenCount": 30, "totalTokenCount": 36},
              "modelVersion": "gemini-2.5-flash",
              "responseId": "grnd-2aPCqLdqX1dkP3cDb4Ac"
            }
            """;

    /** An image-output model streaming: text first, then the whole image in one part. */
    static final String IMAGE_STREAM = """
            data: {"candidates": [{"content": {"parts": [{"text": "Here is your banana."}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.5-flash-image","responseId": "imgs-2aPCqLdqX1dkP3cDb4Ac"}

            data: {"candidates": [{"content": {"parts": [{"inlineData": {"mimeType": "image/png","data": "%s"},"thoughtSignature": "EuYBCuMBAdHtim8"}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 12,"candidatesTokenCount": 1295,"totalTokenCount": 1307},"modelVersion": "gemini-2.5-flash-image","responseId": "imgs-2aPCqLdqX1dkP3cDb4Ac"}
            """.formatted(PNG);

    /** Code execution while streaming: the code, its result and the answer arrive in events of their own. */
    static final String CODE_STREAM = """
            data: {"candidates": [{"content": {"parts": [{"text": "Let me compute it."}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.5-flash","responseId": "codes-2aPCqLdqX1dkP3cDb4Ac"}

            data: {"candidates": [{"content": {"parts": [{"executableCode": {"language": "PYTHON","code": "print(2 ** 10)"}}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.5-flash","responseId": "codes-2aPCqLdqX1dkP3cDb4Ac"}

            data: {"candidates": [{"content": {"parts": [{"codeExecutionResult": {"outcome": "OUTCOME_DEADLINE_EXCEEDED","output": ""}}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.5-flash","responseId": "codes-2aPCqLdqX1dkP3cDb4Ac"}

            data: {"candidates": [{"content": {"parts": [{"text": "It is 1024."}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 10,"candidatesTokenCount": 20,"totalTokenCount": 30},"modelVersion": "gemini-2.5-flash","responseId": "codes-2aPCqLdqX1dkP3cDb4Ac"}
            """;

    /** Grounding while streaming: the text in two events, the grounding metadata with the last one. */
    static final String GROUNDED_STREAM = """
            data: {"candidates": [{"content": {"parts": [{"text": "Spain won Euro 2024 \ud83c\udfc6, defeating England 2-1 in the final."}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.5-flash","responseId": "grnds-2aPCqLdqX1dkP3cDb4Ac"}

            data: {"candidates": [{"content": {"parts": [{"text": " This victory marks Spain's record fourth European Championship title."}],"role": "model"},"finishReason": "STOP","index": 0,"groundingMetadata": {"webSearchQueries": ["UEFA Euro 2024 winner"],"groundingChunks": [{"web": {"uri": "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AXiHM1","title": "aljazeera.com"}},{"web": {"uri": "https://vertexaisearch.cloud.google.com/grounding-api-redirect/AXiHM2","title": "uefa.com"}}],"groundingSupports": [{"segment": {"startIndex": 0,"endIndex": 61,"text": "Spain won Euro 2024 \ud83c\udfc6, defeating England 2-1 in the final."},"groundingChunkIndices": [0]},{"segment": {"startIndex": 62,"endIndex": 131,"text": "This victory marks Spain's record fourth European Championship title."},"groundingChunkIndices": [0, 1]}]}}],"usageMetadata": {"promptTokenCount": 6,"candidatesTokenCount": 30,"totalTokenCount": 36},"modelVersion": "gemini-2.5-flash","responseId": "grnds-2aPCqLdqX1dkP3cDb4Ac"}
            """;

    /** streamGenerateContent reference (alt=sse): text arriving in three events, usage growing. */
    static final String TEXT_STREAM = """
            data: {"candidates": [{"content": {"parts": [{"text": "The"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 8}]},"modelVersion": "gemini-2.5-flash","responseId": "vG-2aPCqLdqX1dkP3cDb4Ac"}

            data: {"candidates": [{"content": {"parts": [{"text": " sky is blue because of"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8},"modelVersion": "gemini-2.5-flash","responseId": "vG-2aPCqLdqX1dkP3cDb4Ac"}

            data: {"candidates": [{"content": {"parts": [{"text": " Rayleigh scattering."}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 9,"totalTokenCount": 17},"modelVersion": "gemini-2.5-flash","responseId": "vG-2aPCqLdqX1dkP3cDb4Ac"}
            """;

    /** Function calling while streaming, with thoughts: each call arrives whole in one part. */
    static final String TOOL_STREAM = """
            data: {"candidates": [{"content": {"parts": [{"text": "I should check the weather.","thought": true}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 30,"totalTokenCount": 30},"modelVersion": "gemini-2.5-flash","responseId": "wH-2aLyKN9qX1dkP1cK4sQc"}

            data: {"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather","args": {"city": "Paris","unit": "celsius"}},"thoughtSignature": "EqoBCqcBAdHtim9Xd0"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 30,"totalTokenCount": 30},"modelVersion": "gemini-2.5-flash","responseId": "wH-2aLyKN9qX1dkP1cK4sQc"}

            data: {"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_time","args": {"zone": "Europe/Paris"}}}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 30,"candidatesTokenCount": 24,"totalTokenCount": 92,"thoughtsTokenCount": 38},"modelVersion": "gemini-2.5-flash","responseId": "wH-2aLyKN9qX1dkP1cK4sQc"}
            """;

    /** A stream whose second event is Google's error object (the backend failed mid-answer). */
    static final String ERROR_STREAM = """
            data: {"candidates": [{"content": {"parts": [{"text": "Once upon"}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.5-flash","responseId": "xJ-2aLyKN9qX1dkP1cK4sQc"}

            data: {"error": {"code": 503,"message": "The model is overloaded. Please try again later.","status": "UNAVAILABLE"}}
            """;

    /** A stream that breaks off without a finish reason. */
    static final String CUT_STREAM = """
            data: {"candidates": [{"content": {"parts": [{"text": "Once upon"}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.5-flash","responseId": "yJ-2aLyKN9qX1dkP1cK4sQc"}
            """;

    /** Errors reference: a quota error with Google's RetryInfo. */
    static final String RATE_LIMITED = """
            {
              "error": {
                "code": 429,
                "message": "You exceeded your current quota, please check your plan and billing details.",
                "status": "RESOURCE_EXHAUSTED",
                "details": [
                  {"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                   "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                                   "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]},
                  {"@type": "type.googleapis.com/google.rpc.Help",
                   "links": [{"description": "Learn more about Gemini API quotas",
                              "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
                  {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}
                ]
              }
            }
            """;

    /** Errors reference: an invalid API key (a 400 with reason API_KEY_INVALID). */
    static final String BAD_KEY = """
            {
              "error": {
                "code": 400,
                "message": "API key not valid. Please pass a valid API key.",
                "status": "INVALID_ARGUMENT",
                "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                             "domain": "googleapis.com", "metadata": {"service": "generativelanguage.googleapis.com"}}]
              }
            }
            """;

    static String error(int code, String status, String message) {
        return "{\"error\": {\"code\": " + code + ", \"message\": \"" + message + "\", \"status\": \"" + status + "\"}}";
    }

    /** Replies with a recorded SSE body as Google frames it (CRLF line ends), one event per write. */
    static Handler<RoutingContext> sse(String fixture) {
        String[] events = fixture.strip().split("\n\n");
        return ctx -> {
            ctx.response().setChunked(true).putHeader("content-type", "text/event-stream");
            for (String event : events) {
                ctx.response().write(event.strip().replace("\n", "\r\n") + "\r\n\r\n");
            }
            ctx.response().end();
        };
    }

    static Handler<RoutingContext> json(String body) {
        return MockUpstream.json(200, body);
    }
}
