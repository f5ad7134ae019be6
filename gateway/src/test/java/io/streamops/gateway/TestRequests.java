package io.streamops.gateway;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;

import io.opentelemetry.api.trace.Span;

/** Request contexts for filter tests, without a server: what a filter reads of who is asking. */
public final class TestRequests {

    private TestRequests() {}

    /** An anonymous request from {@code address} (it has no HTTP request behind it). */
    public static RequestContext anonymous(String address) {
        return new RequestContext(null, 0, BEGINNING, address, Span.getInvalid());
    }
}
