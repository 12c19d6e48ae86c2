package dev.sluice.billing;

import dev.sluice.money.Price;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.openai.ApiException;
import dev.sluice.openai.ChatBody;
import dev.sluice.pipeline.Exchange;
import dev.sluice.provider.Provider;
import dev.sluice.provider.ProviderProfile;
import dev.sluice.provider.Tokenizer;
import dev.sluice.provider.ResolvedModel;
import dev.sluice.tokens.TokenCounter;
import dev.sluice.tokens.TokenEstimator;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prepaid reservation covers what the provider will count, including content Sluice cannot measure: a video
 * Gemini fetches itself, a document by URL or file id, a part type Sluice does not know — each at its kind's
 * ceiling, or refused with 400 naming the part when the operator set that ceiling to 0.
 */
class TargetCostsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TokenEstimator ESTIMATOR = new TokenEstimator(new TokenCounter(), 1500);
    static final long CEILING = 1_048_576;
    static final ResolvedModel GEMINI = new ResolvedModel("gemini/gemini-test", provider("gemini"), "gemini-test");
    static final Price DOLLAR = new Price(1_000_000, 2_000_000, 500_000, 1_250_000, "test");

    static Provider provider(String name) {
        return (Provider) Proxy.newProxyInstance(Provider.class.getClassLoader(), new Class<?>[] {Provider.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "profile" -> new ProviderProfile(name, name, Tokenizer.ofKind(name), Set.of(), Set.of());
                    case "toString" -> name;
                    // what the SPI derives from the profile (its name and kind...)
                    default -> {
                        if (method.isDefault()) {
                            yield InvocationHandler.invokeDefault(proxy, method, args);
                        }
                        throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    static BillingConfig.Reserve reserve(long video, long audio, long document, long other) {
        BillingConfig.RemoteContent remote = (BillingConfig.RemoteContent) Proxy.newProxyInstance(
                BillingConfig.class.getClassLoader(), new Class<?>[] {BillingConfig.RemoteContent.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "video" -> video;
                    case "audio" -> audio;
                    case "document" -> document;
                    case "other" -> other;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (BillingConfig.Reserve) Proxy.newProxyInstance(BillingConfig.class.getClassLoader(),
                new Class<?>[] {BillingConfig.Reserve.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "defaultOutputTokens" -> 4096;
                    case "maxOutputTokens" -> 32768;
                    case "minOutputTokens" -> 256;
                    case "imageTokens" -> 1500;
                    case "remoteContentTokens" -> remote;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    static TargetCosts costs(String part, BillingConfig.Reserve reserve) throws Exception {
        String json = "{\"model\":\"gemini/gemini-test\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"What happens in this?\"}," + part + "]}]}";
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        ObjectNode tree = (ObjectNode) JSON.readTree(raw);
        Exchange exchange = Exchange.chat(System.nanoTime(), "req", null, new ChatBody(raw, tree, null, t -> null));
        exchange.target(GEMINI);
        return new TargetCosts(exchange, ESTIMATOR, reserve, 0);
    }

    static final BillingConfig.Reserve DEFAULTS = reserve(CEILING, CEILING, CEILING, CEILING);

    @Test
    void aVideoTheProviderFetchesItselfIsReservedAtTheVideoCeiling() throws Exception {
        TargetCosts c = costs("{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://www.youtube.com/watch?v=abc\"}}",
                DEFAULTS);
        assertTrue(c.reservedPrompt(GEMINI) >= CEILING, "reserved " + c.reservedPrompt(GEMINI));
        // the worst case at the dearer of input and cache-write prices, plus 100 output tokens
        assertTrue(c.most(GEMINI, DOLLAR) >= CEILING * 5 / 4, "most " + c.most(GEMINI, DOLLAR));
        // an ordinary image stays at its image estimate
        TargetCosts image = costs("{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\"}}",
                DEFAULTS);
        assertTrue(image.reservedPrompt(GEMINI) < 2_000, "reserved " + image.reservedPrompt(GEMINI));
    }

    @Test
    void remoteAudioDocumentsAndUnknownPartsHaveTheirOwnCeilings() throws Exception {
        BillingConfig.Reserve distinct = reserve(1_000_000, 200_000, 300_000, 400_000);
        assertBetween(200_000, costs("{\"type\":\"image_url\",\"image_url\":{\"url\":\"gs://bucket/talk.mp3\"}}",
                distinct).reservedPrompt(GEMINI));
        // a file by id (OpenAI reads its own files) and Anthropic's document by URL, passed through as it is
        assertBetween(300_000, costs("{\"type\":\"file\",\"file\":{\"file_id\":\"file-abc\"}}", distinct)
                .reservedPrompt(GEMINI));
        assertBetween(300_000, costs("{\"type\":\"document\",\"source\":{\"type\":\"url\",\"url\":"
                + "\"https://example.com/report.pdf\"}}", distinct).reservedPrompt(GEMINI));
        assertBetween(400_000, costs("{\"type\":\"search_result\",\"source\":\"https://example.com\"}", distinct)
                .reservedPrompt(GEMINI));
        // inline content is bounded by its size: no ceiling
        long inline = costs("{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AAAA\",\"format\":\"wav\"}}",
                distinct).reservedPrompt(GEMINI);
        assertTrue(inline < 1_000, "inline audio reserved " + inline);
    }

    @Test
    void aCeilingOfZeroRefusesThePartNamingIt() throws Exception {
        TargetCosts c = costs("{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://youtu.be/abc\"}}",
                reserve(0, CEILING, CEILING, CEILING));
        ApiException e = assertThrows(ApiException.class, () -> c.reservedPrompt(GEMINI));
        assertEquals(400, e.status());
        assertEquals("content_not_bounded", e.code());
        assertEquals("messages[0].content[1]", e.param());
        assertTrue(e.getMessage().contains("remote-content-tokens.video"), e.getMessage());
    }

    private static void assertBetween(long ceiling, long reserved) {
        assertTrue(reserved >= ceiling && reserved < ceiling + 1_000, "reserved " + reserved + " for " + ceiling);
    }
}
