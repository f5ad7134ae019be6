package io.streamops.registry;

import io.streamops.schemas.config.Settings;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/** Runs the registry on its own: {@code streamops.kafka.bootstrap=host:9092 streamops.registry.port=8081}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        RegistryServer.Config config =
                RegistryServer.Config.from(Settings.load(null, System.getenv(), Arrays.asList(args)));
        RegistryServer server = RegistryServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
