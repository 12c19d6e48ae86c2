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
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Invoices and admin reports agree with the ledger, and CSV agrees with JSON. */
@QuarkusTest
@WithTestResource(MockUpstream.class)
class InvoiceTest {

    @Inject
    Database db;

    private static void call(String secret, String model, int prompt, int completion) {
        MockUpstream.on("POST", "/" + model.substring(0, model.indexOf('/')) + "/v1/chat/completions",
                MockUpstream.json(200, MockUpstream.completion("ok", prompt, completion)));
        given().auth().oauth2(secret).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200);
    }

    private long ledgerSum(String keyId, YearMonth month) throws Exception {
        long from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(SUM(cost_micros), 0) FROM sluice_ledger WHERE kind = 'request' AND key_id = ? "
                        + "AND ts >= ? AND ts < ?")) {
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
    void theInvoiceTotalIsTheSumOfTheMonthsLedgerAndCsvAgreesWithJson() throws Exception {
        VirtualKeys.Key key = VirtualKeys.withCredit("invoiced", "5");
        call(key.secret(), "billed/alpha", 1234, 567);
        call(key.secret(), "billed/alpha", 1, 1);
        call(key.secret(), "billed/beta", 999, 0);
        call(key.secret(), "groq/llama-3.1-8b-instant", 100_000, 20_000);
        YearMonth month = YearMonth.now(ZoneOffset.UTC);

        JsonPath json = given().auth().oauth2(MockUpstream.MASTER_KEY)
                .when().get("/admin/invoices/" + month + "?key=" + key.id())
                .then().statusCode(200).body("object", equalTo("invoice")).body("credits_usd", equalTo(5.0f))
                .extract().jsonPath();
        BigDecimal total = new BigDecimal(json.getString("total_usd"));
        long ledger = ledgerSum(key.id(), month);
        assertEquals(ledger, Money.micros(total), "invoice total = sum of the month's ledger rows");
        // billed/alpha: 1235 + 2*568 = 2371; billed/beta: 999; groq: 100000*0.05 + 20000*0.08 = 6600 micro-dollars
        assertEquals(2371 + 999 + 6600, ledger);
        List<Object> amounts = json.getList("lines.amount_usd");
        assertEquals(3, amounts.size());

        String csv = given().auth().oauth2(MockUpstream.MASTER_KEY).accept("text/csv")
                .when().get("/admin/invoices/" + month + "?key=" + key.id())
                .then().statusCode(200).extract().asString();
        String[] lines = csv.split("\r\n");
        assertEquals("key_id,provider,model,requests,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,amount_usd",
                lines[0]);
        long csvSum = 0;
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",");
            assertEquals(key.id(), cells[0]);
            csvSum += Money.micros(new BigDecimal(cells[8]));
            JsonPath line = new JsonPath(json.prettify());
            assertEquals(cells[2], line.getString("lines[" + (i - 1) + "].model"));
            assertEquals(Long.parseLong(cells[3]), line.getLong("lines[" + (i - 1) + "].requests"));
        }
        assertEquals(lines.length - 1, 3);
        assertEquals(ledger, csvSum, "the CSV lines add up to the JSON total");

        given().auth().oauth2(MockUpstream.MASTER_KEY)
                .when().get("/admin/usage?group_by=provider&key=" + key.id())
                .then().statusCode(200).body("data.size()", equalTo(2)).body("total_requests", equalTo(4))
                .body("total_cost_usd", equalTo(Money.usd(ledger).floatValue()));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/usage?group_by=key")
                .then().statusCode(200);
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/invoices/2026-13")
                .then().statusCode(400).body("error.param", equalTo("month"));
        given().auth().oauth2(MockUpstream.MASTER_KEY).when().get("/admin/usage?from=yesterday")
                .then().statusCode(400).body("error.param", equalTo("from"));
    }
}
