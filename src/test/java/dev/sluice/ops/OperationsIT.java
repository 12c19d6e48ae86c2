package dev.sluice.ops;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same tests against the packaged application (the native executable, where one is built). */
@QuarkusIntegrationTest
class OperationsIT extends OperationsTest {

    /** The packaged application runs the production profile: its Swagger UI is off. */
    @Override
    int swaggerUiStatus() {
        return 404;
    }
}
