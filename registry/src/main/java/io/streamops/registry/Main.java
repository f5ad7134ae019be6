package io.streamops.registry;

import io.streamops.schemas.config.Settings;
import io.streamops.schemas.registry.CompatibilityLevel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Runs the registry on its own: {@code streamops.kafka.bootstrap=host:9092 streamops.registry.port=8081}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        Settings settings = Settings.load(null, System.getenv(), Arrays.asList(args))
                .rejectUnknown(
                        "streamops.registry.",
                        List.of(
                                "streamops.registry.port",
                                "streamops.registry.host",
                                "streamops.registry.topic",
                                "streamops.registry.compatibility"));
        RegistryServer.Config config = new RegistryServer.Config(
                settings.required("streamops.kafka.bootstrap"),
                settings.string("streamops.registry.host", "0.0.0.0"),
                settings.integer("streamops.registry.port", 8081),
                settings.string("streamops.registry.topic", "_schemas"),
                settings.enumValue(
                        "streamops.registry.compatibility", CompatibilityLevel.class, CompatibilityLevel.BACKWARD));
        RegistryServer server = RegistryServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
