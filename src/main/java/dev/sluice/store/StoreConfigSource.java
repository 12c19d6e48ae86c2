package dev.sluice.store;

import dev.sluice.config.DerivedSettings;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the one storage setting users give ({@code sluice.store.database-url}, env {@code SLUICE_DATABASE_URL})
 * into the datasource settings Quarkus needs: with it, the {@code postgres} datasource is switched on with that
 * URL and the embedded one off; without it, the reverse. Accepts a JDBC URL
 * ({@code jdbc:postgresql://host:5432/db}) or the usual {@code postgresql://user:password@host:5432/db} form.
 */
public class StoreConfigSource extends DerivedSettings {

    static final String DATABASE_URL = "sluice.store.database-url";

    public StoreConfigSource() {
        super("sluice-store", DATABASE_URL, StoreConfigSource::derive);
    }

    static Map<String, String> derive(String url) {
        Map<String, String> out = new HashMap<>();
        boolean postgres = !url.isEmpty();
        out.put("quarkus.datasource.postgres.active", Boolean.toString(postgres));
        out.put("quarkus.datasource.embedded.active", Boolean.toString(!postgres));
        out.put("quarkus.flyway.postgres.active", Boolean.toString(postgres));
        out.put("quarkus.flyway.embedded.active", Boolean.toString(!postgres));
        if (postgres) {
            if (url.startsWith("jdbc:")) {
                out.put("quarkus.datasource.postgres.jdbc.url", url);
            } else if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
                URI uri = URI.create(url);
                String userInfo = uri.getRawUserInfo();
                if (userInfo != null) {
                    int colon = userInfo.indexOf(':');
                    out.put("quarkus.datasource.postgres.username",
                            decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
                    if (colon >= 0) {
                        out.put("quarkus.datasource.postgres.password", decode(userInfo.substring(colon + 1)));
                    }
                }
                String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
                out.put("quarkus.datasource.postgres.jdbc.url", "jdbc:postgresql://" + hostPort
                        + (uri.getRawPath() == null ? "" : uri.getRawPath())
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            } else {
                throw new IllegalArgumentException(DATABASE_URL + " must be a PostgreSQL URL "
                        + "(jdbc:postgresql://host:5432/db or postgresql://user:password@host:5432/db)");
            }
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
