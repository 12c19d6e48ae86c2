package dev.sluice.billing;

import dev.sluice.money.Money;
import dev.sluice.store.Database;
import dev.sluice.testing.MockUpstream;
import dev.sluice.testing.VirtualKeys;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reports and invoices computed by PostgreSQL (a database of its own on the local server) agree with its ledger
 * to the micro-dollar, and CSV agrees with JSON, as they do on the embedded store.
 */
@QuarkusTest
@WithTestResource(MockUpstream.class)
@WithTestResource(PostgresDatabase.class)
class PostgresReportsTest {

    @Inject
    Database db;

    private static void call(String secret, String model, int prompt, int completion) {
        MockUpstream.on("POST", "/" + model.substring(0, model.indexOf('/')) + "/v1/chat/completions",
                MockUpstream.json(200, MockUpstream.completion("ok", prompt, completion)));
        given().auth().oauth2(secret).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200);
    }

    private long ledger(String sql, String keyId, YearMonth month) throws Exception {
        long from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, keyId);
            ps.setLong(2, from);
            ps.setLong(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void invoicesAndReportsOnPostgresqlAddUpToItsLedger() throws Exception {
        assertEquals(Database.Dialect.POSTGRESQL, db.dialect(), "this test runs on PostgreSQL");
        MockUpstream.reset();
        VirtualKeys.Key key = VirtualKeys.withCredit("pg-invoiced", "5");
        VirtualKeys.Key other = VirtualKeys.withCredit("pg-other", "1");
        call(key.secret(), "billed/alpha", 1234, 567);
        call(key.secret(), "billed/alpha", 1, 1);
        call(key.secret(), "billed/beta", 999, 0);
        call(key.secret(), "groq/llama-3.1-8b-instant", 100_000, 20_000);
        call(other.secret(), "billed/alpha", 10, 10);
        given().auth().oauth2(key.secret()).contentType(ContentType.JSON).body("{\"model\":\"billed/alpha\"}")
                .when().post("/v1/chat/completions").then().statusCode(400);
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        long ledger = ledger("SELECT COALESCE(SUM(cost_micros), 0) FROM sluice_ledger WHERE kind = 'request' "
                + "AND key_id = ? AND ts >= ? AND ts < ?", key.id(), month);
        // billed/alpha: 1235 + 2 x 568 = 2371; billed/beta: 999; groq: 100000 x 0.05 + 20000 x 0.08 = 6600
        assertEquals(2371 + 999 + 6600, ledger);

        JsonPath json = given().auth().oauth2(MockUpstream.MASTER_KEY)
                .when().get("/admin/invoices/" + month + "?key=" + key.id())
                .then().statusCode(200).body("object", equalTo("invoice")).body("credits_usd", equalTo(5.0f))
                .extract().jsonPath();
        assertEquals(ledger, Money.micros(new BigDecimal(json.getString("total_usd"))));
        assertEquals(4, json.getList("lines").size(), "alpha, beta, groq, and the refused request's line");
        String csv = given().auth().oauth2(MockUpstream.MASTER_KEY).accept("text/csv")
                .when().get("/admin/invoices/" + month + "?key=" + key.id())
                .then().statusCode(200).extract().asString();
        String[] lines = csv.split("\r\n");
        long csvSum = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",");
            assertEquals(key.id(), cells[0]);
            assertEquals(json.getString("lines[" + (i - 1) + "].model"), cells[2]);
            assertEquals(json.getLong("lines[" + (i - 1) + "].requests"), Long.parseLong(cells[3]));
            csvSum += Money.micros(new BigDecimal(cells[8]));
        }
        assertEquals(ledger, csvSum, "the CSV lines add up to the JSON total");

        // the whole month's invoice covers both keys
        long everyone = ledger + ledger("SELECT COALESCE(SUM(cost_micros), 0) FROM sluice_ledger WHERE kind = "
                + "'request' AND key_id = ? AND ts >= ? AND ts < ?", other.id(), month);
        JsonPath all = given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/invoices/" + month)
                .then().statusCode(200).extract().jsonPath();
        long allTotal = Money.micros(new BigDecimal(all.getString("total_usd")));
        assertEquals(true, allTotal >= everyone, "other tests' keys may add lines, never remove them");

        // usage reports grouped every way, computed by PostgreSQL
        given().auth().oauth2(MockUpstream.MASTER_KEY)
                .when().get("/admin/usage?group_by=provider&key=" + key.id())
                .then().statusCode(200).body("data.size()", equalTo(3)).body("total_requests", equalTo(5))
                .body("total_cost_usd", equalTo(Money.usd(ledger).floatValue()));
        List<Object> models = given().auth().oauth2(MockUpstream.MASTER_KEY)
                .when().get("/admin/usage?group_by=model&key=" + key.id())
                .then().statusCode(200).extract().jsonPath().getList("data.group");
        assertEquals(List.of("", "billed/alpha", "billed/beta", "groq/llama-3.1-8b-instant"), models);
        given().auth().oauth2(key.secret()).when().get("/v1/usage?group_by=day")
                .then().statusCode(200).body("data[0].group", equalTo(LocalDate.now(ZoneOffset.UTC).toString()))
                .body("data[0].requests", equalTo(5)).body("data[0].failed_requests", equalTo(1))
                .body("total_cost_usd", equalTo(Money.usd(ledger).floatValue()));
        String usageCsv = given().auth().oauth2(key.secret()).accept("text/csv").when().get("/v1/usage?group_by=model")
                .then().statusCode(200).extract().asString();
        assertEquals(5, usageCsv.split("\r\n").length, "a header and four model lines: " + usageCsv);
        given().auth().oauth2(key.secret()).when().get("/v1/balance")
                .then().statusCode(200).body("balance_usd", equalTo(Money.usd(5_000_000 - ledger).floatValue()))
                .body("spent_usd", equalTo(Money.usd(ledger).floatValue()));
    }
}
