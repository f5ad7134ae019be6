package io.streamops.platform.loganomaly;

import io.vertx.core.json.JsonObject;

/** Where an alert goes; each is keyed by its decision id, which a sink that can uses to deduplicate. */
interface AlertSink extends AutoCloseable {

    /** Delivers one alert, blocking until it is delivered; returns where it went. */
    String deliver(String decisionId, JsonObject alert) throws Exception;

    @Override
    default void close() {}
}
