package dev.sluice.provider.azure;

/**
 * Azure OpenAI wire cases after the examples of Azure OpenAI's REST API reference (chat completions, streaming with
 * content filtering, embeddings, errors). Stream fixtures keep the real SSE framing.
 */
final class AzureFixtures {

    private AzureFixtures() {
    }

    /** Chat completions reference: the pirate example's request ... */
    static final String CHAT_REQUEST = """
            {"model": "azure/gpt-4o",
             "messages": [{"role": "system", "content": "you are a helpful assistant that talks like a pirate"},
                          {"role": "user", "content": "can you tell me how to care for a parrot?"}],
             "temperature": 0.7, "seed": 42, "logit_bias": {"50256": -100},
             "data_sources": [{"type": "azure_search", "parameters": {"endpoint": "https://search.example"}}]}
            """;

    /** ... and its response. */
    static final String CHAT_RESPONSE = """
            {"id": "chatcmpl-7R1nGnsXO8n4oi9UPz2f3UHdgAYMn", "object": "chat.completion", "created": 1686676106,
             "model": "gpt-4o-2024-08-06",
             "choices": [{"index": 0, "finish_reason": "stop",
                          "message": {"role": "assistant", "content": "Ahoy matey! So ye be wantin' to care for a fine squawkin' parrot, eh?"},
                          "content_filter_results": {"hate": {"filtered": false, "severity": "safe"},
                                                     "self_harm": {"filtered": false, "severity": "safe"},
                                                     "sexual": {"filtered": false, "severity": "safe"},
                                                     "violence": {"filtered": false, "severity": "safe"}}}],
             "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": {"hate": {"filtered": false, "severity": "safe"}}}],
             "usage": {"completion_tokens": 557, "prompt_tokens": 33, "total_tokens": 590}}
            """;

    /** Streaming with content filtering: the prompt-filter preamble, the answer, the usage chunk. */
    static final String STREAM = """
            data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}]}

            data: {"choices":[{"content_filter_results":{},"delta":{"content":"","role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],"created":1727000000,"id":"chatcmpl-A9xyzStream","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_67802d9a6d"}

            data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{"content":"Ahoy"},"finish_reason":null,"index":0,"logprobs":null}],"created":1727000000,"id":"chatcmpl-A9xyzStream","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_67802d9a6d"}

            data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{"content":" matey!"},"finish_reason":null,"index":0,"logprobs":null}],"created":1727000000,"id":"chatcmpl-A9xyzStream","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_67802d9a6d"}

            data: {"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"stop","index":0,"logprobs":null}],"created":1727000000,"id":"chatcmpl-A9xyzStream","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_67802d9a6d"}

            data: {"choices":[],"created":1727000000,"id":"chatcmpl-A9xyzStream","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_67802d9a6d","usage":{"completion_tokens":3,"prompt_tokens":33,"total_tokens":36}}

            data: [DONE]
            """;

    /** A stream the service breaks off with OpenAI's error object after the first words (a server failure). */
    static final String ERROR_STREAM = """
            data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}

            data: {"choices":[{"content_filter_results":{},"delta":{"content":"","role":"assistant"},"finish_reason":null,"index":0,"logprobs":null}],"created":1727000000,"id":"chatcmpl-A9xyzBroken","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_67802d9a6d"}

            data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{"content":"Ahoy"},"finish_reason":null,"index":0,"logprobs":null}],"created":1727000000,"id":"chatcmpl-A9xyzBroken","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk","system_fingerprint":"fp_67802d9a6d"}

            data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}
            """;

    /** Embeddings reference. */
    static final String EMBEDDINGS_RESPONSE = """
            {"data": [{"index": 0, "embedding": [-0.012838088, -0.007421397, -0.017617522], "object": "embedding"}],
             "usage": {"prompt_tokens": 4, "total_tokens": 4}, "model": "text-embedding-3-small", "object": "list"}
            """;

    /** Content filtering guide: a prompt refused by the filter. */
    static final String CONTENT_FILTER_ERROR = """
            {"error": {"message": "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
                       "type": null, "param": "prompt", "code": "content_filter", "status": 400,
                       "innererror": {"code": "ResponsibleAIPolicyViolation",
                                      "content_filter_result": {"hate": {"filtered": true, "severity": "high"}}}}}
            """;

    /** Quota errors. */
    static final String RATE_LIMIT_ERROR = """
            {"error": {"code": "429", "message": "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 12 seconds."}}
            """;
}
