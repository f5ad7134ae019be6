package io.streamops.testkit;

import io.streamops.broker.EmbeddedKafkaBroker;
import io.streamops.registry.RegistryServer;
import java.nio.file.Path;

/**
 * The child JVM of a forked stack: starts broker and registry, prints one READY line, and stops
 * when its parent closes stdin (so it never outlives the test JVM that started it).
 */
public final class StackMain {

    static final String READY = "STREAMOPS-STACK-READY";

    private StackMain() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = InProcessStack.tempDir();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                EmbeddedKafkaBroker.Config.ephemeral(dataDir).withSaslPlain(TestStack.brokerUsers()));
        RegistryServer registry = RegistryServer.start(RegistryServer.Config.defaults(broker.clients(), 0));
        System.out.println(READY + " " + broker.bootstrapServers() + " " + registry.url());
        System.out.flush();
        while (System.in.read() != -1) {
            // Parent still alive.
        }
        registry.close();
        broker.close();
        Directories.deleteQuietly(dataDir);
        System.exit(0);
    }
}
