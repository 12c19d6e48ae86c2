package dev.sluice.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same tests against the packaged application (the native executable, where one is built). */
@QuarkusIntegrationTest
class StreamingIT extends StreamingTest {
}
