package io.streamops.testkit;

import io.streamops.broker.EmbeddedKafkaBroker;
import io.streamops.registry.RegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Broker and registry in this JVM; loaded only when the stack is not forked. */
final class InProcessStack {

    private InProcessStack() {}

    static TestStack start() {
        Path dataDir = tempDir();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                EmbeddedKafkaBroker.Config.ephemeral(dataDir).withSaslPlain(TestStack.brokerUsers()));
        RegistryServer registry = RegistryServer.start(RegistryServer.Config.defaults(broker.clients(), 0));
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            registry.close();
                            broker.close();
                            Directories.deleteQuietly(dataDir);
                        },
                        "test-stack-stop"));
        return new TestStack(broker.bootstrapServers(), registry.url());
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("streamops-test-stack");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
