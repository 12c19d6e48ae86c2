package dev.sluice.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's security rules as a browser meets them: sign-in exchanges a key for an HttpOnly, SameSite=Strict
 * session cookie; the cookie alone (without the page's anti-forgery token) opens nothing; every page carries a
 * strict Content-Security-Policy and no inline script; a virtual key is refused the operator's pages with a 403
 * that holds no data; a revoked key's session ends; signing out needs the token.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class ConsoleTest {

    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"csrf\" content=\"([^\"]+)\">");
    private static final Pattern LOGIN_CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    /** A signed-in browser: its session cookie and the token its pages carry. */
    record Browser(String session, String csrf) {
    }

    /** Upstream behaviours other test classes installed on the shared mock do not leak into these tests. */
    @org.junit.jupiter.api.BeforeEach
    void healthyUpstreams() {
        MockUpstream.reset();
    }

    static Browser signIn(String key) {
        Response form = given().redirects().follow(false).when().get("/console/login");
        assertEquals(200, form.statusCode());
        String loginCookie = form.getCookie(ConsoleResource.LOGIN_COOKIE);
        String token = group(LOGIN_CSRF, form.asString());
        Response signedIn = given().redirects().follow(false).cookie(ConsoleResource.LOGIN_COOKIE, loginCookie)
                .contentType(ContentType.URLENC).formParam("key", key).formParam("csrf", token)
                .when().post("/console/login");
        assertEquals(303, signedIn.statusCode(), signedIn.asString());
        assertTrue(signedIn.header("Location").endsWith("/console/overview"));
        String setCookie = signedIn.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(ConsoleSessions.COOKIE + "=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain HTTP: the cookie would never come back if marked Secure");
        assertFalse(setCookie.contains(key), "the cookie is a session id, not the key");
        String session = signedIn.getCookie(ConsoleSessions.COOKIE);
        String page = given().cookie(ConsoleSessions.COOKIE, session).when().get("/console/overview")
                .then().statusCode(200).extract().asString();
        assertFalse(page.contains(key), "a key is never rendered");
        return new Browser(session, group(CSRF_META, page));
    }

    private static String group(Pattern p, String html) {
        Matcher m = p.matcher(html);
        assertTrue(m.find(), "not found in the page: " + p);
        return m.group(1);
    }

    @Test
    void pagesNeedASessionAndCarryAStrictPolicyWithoutInlineScript() {
        given().redirects().follow(false).when().get("/console/keys")
                .then().statusCode(303).header("Location", endsWith("/console/login"));
        Browser master = signIn(MockUpstream.MASTER_KEY);
        for (ConsolePage p : ConsolePage.values()) {
            String html = given().cookie(ConsoleSessions.COOKIE, master.session()).when().get("/console/" + p.path())
                    .then().statusCode(200)
                    .header("Content-Security-Policy", allOf(containsString("default-src 'none'"),
                            containsString("script-src 'self';"), containsString("frame-ancestors 'none'")))
                    .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                    .header("Cache-Control", "no-store")
                    .header("X-Content-Type-Options", "nosniff")
                    .extract().asString();
            assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(html).find(),
                    p + " has an inline script");
            assertFalse(html.contains(" on") && Pattern.compile("\\son[a-z]+=").matcher(html).find(),
                    p + " has an inline event handler");
            assertFalse(html.contains("style=\""), p + " has an inline style");
        }
        // the chart library is served by Sluice itself (no CDN)
        given().when().get("/webjars/chart.js/4.4.7/dist/chart.umd.js").then().statusCode(200);
    }

    @Test
    void theCookieAloneOpensNoApiTheTokenDoes() {
        Browser master = signIn(MockUpstream.MASTER_KEY);
        given().cookie(ConsoleSessions.COOKIE, master.session()).when().get("/admin/keys")
                .then().statusCode(401).body("error.code", equalTo("missing_api_key"));
        given().cookie(ConsoleSessions.COOKIE, master.session()).header(ConsoleSessions.CSRF_HEADER, "forged")
                .contentType(ContentType.JSON).body("{\"name\":\"csrf\"}")
                .when().post("/admin/keys").then().statusCode(401);
        given().cookie(ConsoleSessions.COOKIE, master.session()).header(ConsoleSessions.CSRF_HEADER, master.csrf())
                .when().get("/admin/keys").then().statusCode(200).body("object", equalTo("list"));
    }

    @Test
    void signInNeedsTheFormsTokenAndAValidKey() {
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("key", MockUpstream.MASTER_KEY)
                .formParam("csrf", "guess").when().post("/console/login")
                .then().statusCode(403).body(containsString("expired"));
        Response form = given().when().get("/console/login");
        given().redirects().follow(false).cookie(ConsoleResource.LOGIN_COOKIE, form.getCookie(ConsoleResource.LOGIN_COOKIE))
                .contentType(ContentType.URLENC).formParam("key", "sk-wrong-key-000000")
                .formParam("csrf", group(LOGIN_CSRF, form.asString())).when().post("/console/login")
                .then().statusCode(401).body(containsString("not valid"))
                .header("Set-Cookie", not(containsString(ConsoleSessions.COOKIE + "=")));
    }

    @Test
    void aVirtualKeyIsRefusedTheOperatorsPagesWithoutData() {
        VirtualKeys.Key other = VirtualKeys.withCredit("someone-else-entirely", "3");
        VirtualKeys.Key key = VirtualKeys.withCredit("console-user", "1");
        Browser browser = signIn(key.secret());
        for (String page : new String[] {"keys", "routing"}) {
            String html = given().cookie(ConsoleSessions.COOKIE, browser.session()).when().get("/console/" + page)
                    .then().statusCode(403).extract().asString();
            assertFalse(html.contains(other.id()), "no other key's id");
            assertFalse(html.contains("someone-else-entirely"), "no other key's name");
            assertFalse(html.contains("deployment"), "no routing data");
        }
        String nav = given().cookie(ConsoleSessions.COOKIE, browser.session()).when().get("/console/usage")
                .then().statusCode(200).extract().asString();
        assertFalse(nav.contains("href=\"/console/keys\""), "the navigation offers only the key's own pages");
        given().cookie(ConsoleSessions.COOKIE, browser.session()).header(ConsoleSessions.CSRF_HEADER, browser.csrf())
                .when().get("/admin/keys").then().statusCode(403).body("error.code", equalTo("admin_only"));
        given().cookie(ConsoleSessions.COOKIE, browser.session()).header(ConsoleSessions.CSRF_HEADER, browser.csrf())
                .when().get("/console/api/overview").then().statusCode(200)
                .body("scope", equalTo("key")).body("top_keys", org.hamcrest.Matchers.nullValue())
                .body("latency_ms", org.hamcrest.Matchers.nullValue());
        given().cookie(ConsoleSessions.COOKIE, browser.session()).header(ConsoleSessions.CSRF_HEADER, browser.csrf())
                .when().get("/v1/balance").then().statusCode(200).body("key_id", equalTo(key.id()));
    }

    @Test
    void aRevokedKeysSessionEnds() {
        VirtualKeys.Key key = VirtualKeys.withCredit("to-revoke", "1");
        Browser browser = signIn(key.secret());
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().delete("/admin/keys/" + key.id()).then().statusCode(200);
        given().cookie(ConsoleSessions.COOKIE, browser.session()).header(ConsoleSessions.CSRF_HEADER, browser.csrf())
                .when().get("/v1/balance").then().statusCode(401).body("error.code", equalTo("key_revoked"));
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, browser.session()).when().get("/console/usage")
                .then().statusCode(303).header("Location", containsString("/console/login"));
    }

    @Test
    void signingOutNeedsTheTokenAndEndsTheSession() {
        Browser browser = signIn(MockUpstream.MASTER_KEY);
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, browser.session())
                .contentType(ContentType.URLENC).formParam("csrf", "forged").when().post("/console/logout")
                .then().statusCode(403);
        Response out = given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, browser.session())
                .contentType(ContentType.URLENC).formParam("csrf", browser.csrf()).when().post("/console/logout");
        assertEquals(303, out.statusCode());
        assertNotNull(out.header("Set-Cookie"));
        assertTrue(out.header("Set-Cookie").contains("Max-Age=0"));
        given().redirects().follow(false).cookie(ConsoleSessions.COOKIE, browser.session()).when().get("/console/overview")
                .then().statusCode(303);
        given().cookie(ConsoleSessions.COOKIE, browser.session()).header(ConsoleSessions.CSRF_HEADER, browser.csrf())
                .when().get("/admin/keys").then().statusCode(401);
    }

    @Test
    void theOverviewCountsTheLedgerAndTheMasterSeesLatencyAndKeys() {
        VirtualKeys.Key spender = VirtualKeys.create("{\"name\":\"overview-spender\",\"credit_usd\":1,"
                + "\"models\":[\"billed/*\"]}");
        double spent = Double.parseDouble(given().auth().oauth2(spender.secret()).contentType(ContentType.JSON)
                .body("{\"model\":\"billed/model-x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200).extract().header("x-sluice-cost-usd"));
        Browser master = signIn(MockUpstream.MASTER_KEY);
        Response overview = given().cookie(ConsoleSessions.COOKIE, master.session())
                .header(ConsoleSessions.CSRF_HEADER, master.csrf())
                .when().get("/console/api/overview").then().statusCode(200)
                .body("scope", equalTo("all"))
                .body("this_month.requests", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("days", org.hamcrest.Matchers.hasSize(ConsoleOverview.DAYS))
                .body("latency_ms.p50", org.hamcrest.Matchers.notNullValue())
                .body("overhead_ms.p95", org.hamcrest.Matchers.notNullValue())
                .extract().response();
        // the top keys by spend this month: the spender is among them, unless (other keys of the same store having
        // spent more) the list is full of keys that spent at least as much
        List<String> labels = overview.jsonPath().getList("top_keys.label", String.class);
        List<Float> costs = overview.jsonPath().getList("top_keys.cost_usd", Float.class);
        if (!labels.contains("overview-spender")) {
            assertEquals(ConsoleOverview.TOP, labels.size(), "top keys: " + labels);
            assertTrue(costs.stream().allMatch(c -> c >= spent - 1e-6), "top keys spent more: " + costs);
        }
        Browser own = signIn(spender.secret());
        given().cookie(ConsoleSessions.COOKIE, own.session()).header(ConsoleSessions.CSRF_HEADER, own.csrf())
                .when().get("/console/api/overview").then().statusCode(200)
                .body("today.requests", equalTo(1))
                .body("top_models[0].id", org.hamcrest.Matchers.startsWith("billed/"));
        // the playground offers only the models on the key's allow-list
        given().cookie(ConsoleSessions.COOKIE, own.session()).header(ConsoleSessions.CSRF_HEADER, own.csrf())
                .when().get("/console/api/models").then().statusCode(200)
                .body("data", org.hamcrest.Matchers.not(org.hamcrest.Matchers.empty()))
                .body("data.id", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.startsWith("billed/")));
    }
}
