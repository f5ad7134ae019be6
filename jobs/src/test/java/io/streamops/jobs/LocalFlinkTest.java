package io.streamops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFlinkTest {

    @Test
    void resumesFromTheNewestCompletedCheckpoint(@TempDir Path jobDir) throws IOException {
        completed(jobDir.resolve("chk-9"));
        completed(jobDir.resolve("chk-12"));
        Files.createDirectories(jobDir.resolve("chk-13"));
        Files.createDirectories(jobDir.resolve("shared"));

        assertThat(LocalFlink.latestCheckpoint(jobDir)).contains(jobDir.resolve("chk-12"));
    }

    @Test
    void aJobWithoutCheckpointsStartsAfresh(@TempDir Path dir) throws IOException {
        assertThat(LocalFlink.latestCheckpoint(dir.resolve("never-ran"))).isEmpty();
    }

    @Test
    void aJobKeepsItsIdAcrossRestarts() {
        assertThat(LocalFlink.jobId("log-anomaly")).isEqualTo(LocalFlink.jobId("log-anomaly"));
        assertThat(LocalFlink.jobId("log-anomaly")).isNotEqualTo(LocalFlink.jobId("trace-summary"));
    }

    private static void completed(Path checkpoint) throws IOException {
        Files.createDirectories(checkpoint);
        Files.writeString(checkpoint.resolve("_metadata"), "x");
    }
}
