package io.streamops.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Broker and registry in a child JVM with the testkit's own classpath (a resource written at
 * build time), for test JVMs whose kafka-clients cannot share a classpath with the broker.
 */
final class ForkedStack {

    private ForkedStack() {}

    static TestStack start() {
        String classpath = ownLocation() + java.io.File.pathSeparator + stackClasspath();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-cp",
                classpath,
                StackMain.class.getName()));
        Process child;
        try {
            child = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fork the test stack", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child), "forked-stack-stop"));
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(StackMain.READY)) {
                    String[] parts = line.split(" ");
                    drain(out);
                    return new TestStack(parts[1], parts[2]);
                }
                System.out.println("[stack] " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("forked test stack exited before it was ready");
    }

    private static void stop(Process child) {
        try {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            child.destroyForcibly();
        }
    }

    private static void drain(BufferedReader out) {
        Thread drainer = new Thread(
                () -> {
                    try {
                        String line;
                        while ((line = out.readLine()) != null) {
                            System.out.println("[stack] " + line);
                        }
                    } catch (IOException e) {
                        // The child is gone.
                    }
                },
                "forked-stack-output");
        drainer.setDaemon(true);
        drainer.start();
    }

    private static String ownLocation() {
        try {
            return Path.of(ForkedStack.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stackClasspath() {
        try (InputStream in = ForkedStack.class.getResourceAsStream("stack.classpath")) {
            if (in == null) {
                throw new IllegalStateException(
                        "stack.classpath resource missing: build the testkit module with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
