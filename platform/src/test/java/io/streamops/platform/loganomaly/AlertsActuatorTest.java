package io.streamops.platform.loganomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.Mode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsActuatorTest {

    /** The recording fake of a sink. */
    static final class RecordingSink implements AlertSink {
        final List<JsonObject> alerts = new ArrayList<>();

        @Override
        public String deliver(String decisionId, JsonObject alert) {
            alerts.add(alert);
            return "recorded";
        }
    }

    @Test
    void anAnomalyBecomesAnAlertThatSaysWhatAndWhy() throws Exception {
        RecordingSink sink = new RecordingSink();

        String detail = new AlertsActuator(sink).apply("checkout", Anomalies.anomaly("checkout", "d-1", Mode.ENFORCE));

        assertThat(detail).isEqualTo("recorded");
        assertThat(sink.alerts).singleElement().satisfies(alert -> {
            assertThat(alert.getString("decisionId")).isEqualTo("d-1");
            assertThat(alert.getString("service")).isEqualTo("checkout");
            assertThat(alert.getString("severity")).isEqualTo("WARNING");
            assertThat(alert.getDouble("observed")).isEqualTo(8.0);
            assertThat(alert.getDouble("expected")).isEqualTo(5.0);
            assertThat(alert.getString("summary")).startsWith("checkout logged 8 errors");
            assertThat(alert.getString("policy")).isEqualTo("error-burst/v1");
        });
    }

    @Test
    void theFileSinkWritesEachDecisionOnceEvenAcrossRestarts(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("alerts/anomalies.jsonl");
        new FileSink(file).deliver("d-1", new JsonObject().put("decisionId", "d-1"));
        FileSink restarted = new FileSink(file);

        restarted.deliver("d-1", new JsonObject().put("decisionId", "d-1"));
        restarted.deliver("d-2", new JsonObject().put("decisionId", "d-2"));

        assertThat(Files.readAllLines(file))
                .hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("d-2"));
    }
}
