package dev.sluice.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * JDBC clean-ups whose failure changes nothing, for the writers that keep a connection between batches: the
 * connection or the transaction is being abandoned either way. Null is allowed and ignored.
 */
public final class Quietly {

    private Quietly() {
    }

    public static void close(AutoCloseable resource) {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // dropped either way
            }
        }
    }

    public static void rollback(Connection c) {
        if (c != null) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // abandoned either way
            }
        }
    }
}
