package io.streamops.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.gateway.Gateway;
import io.streamops.platform.Why;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.wait.Poll;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.testkit.Directories;
import io.streamops.testkit.TestStack;
import io.streamops.topologies.cache.CacheInvalidationOperator;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.cache.CacheWorkflow;
import io.streamops.workflows.cache.CaptureKeys;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Workflow 2 end to end on the real PostgreSQL, broker and Redis: a product cached by two gateways,
 * its row changed (moving it to another category), and neither gateway serving the old row or
 * either category's old listing once the change has gone through the capture, the operator and
 * the gateways; {@code why} names the change.
 */
class CacheInvalidationIT {

    private static final TestStack STACK = TestStack.shared();
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aCommittedChangeEvictsTheRowAndBothListingsOnEveryGateway() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String table = "public.cache_it_" + run;
        TopicNaming naming = new TopicNaming("cache-e2e-" + run + ".", Map.of());
        TopicBinder binder = TopicBinder.of(STACK.registry(), true, naming);
        STACK.createTopics(naming.resolveAll(Workflows.topics()));
        Path dir = Files.createTempDirectory("cache-e2e-it");
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(
                rules,
                "tables:\n  " + table + ":\n    keys: ['/shop/products/{id}']\n"
                        + "    prefixes: ['/shop/products?category={category}']\n");
        Connection db = DriverManager.getConnection(JDBC, "postgres", "");
        sql(db, "CREATE TABLE " + table + " (id int PRIMARY KEY, category text NOT NULL, price int NOT NULL)");
        sql(db, "ALTER TABLE " + table + " REPLICA IDENTITY FULL");
        sql(db, "INSERT INTO " + table + " VALUES (1, 'tea', 5), (2, 'tea', 6), (3, 'cups', 7)");
        Settings settings = Settings.of(Map.of(
                        TopicNaming.PREFIX.name(),
                        naming.prefix(),
                        CacheWorkflow.RULES_FILE.name(),
                        rules.toString(),
                        CaptureKeys.TABLES.name(),
                        table,
                        "streamops.streams.application.prefix",
                        "streamops-cache-e2e-" + run + "-"))
                .with(STACK.settings());
        ChangeCapture.Config capture = ChangeCapture.Config.from(settings, dir);
        Vertx vertx = Vertx.vertx();
        HttpServer upstream = vertx.createHttpServer()
                .requestHandler(r -> vertx.executeBlocking(() -> answer(table, r.path(), r.getParam("category")))
                        .onComplete(done -> r.response().end(done.succeeded() ? done.result() : "error")))
                .listen(0, "127.0.0.1")
                .await();
        try (StreamsRunner operator = new StreamsRunner(
                        new CacheInvalidationOperator(),
                        StreamsRunner.Config.from(settings, dir.resolve("streams")),
                        binder,
                        settings,
                        STACK.registry());
                ChangeCapture changes = ChangeCapture.start(capture, STACK.kafka(), binder, Clock.systemUTC());
                Gateway a = gateway("cache-e2e-a", upstream.actualPort(), naming);
                Gateway b = gateway("cache-e2e-b", upstream.actualPort(), naming)) {
            operator.start();
            operator.awaitRunning(TIMEOUT);
            Poll.until("the capture streaming", TIMEOUT, () -> unchecked(() -> slotActive(db, capture.slot())));
            WebClient http = WebClient.create(vertx);
            List<String> paths =
                    List.of("/shop/products/1", "/shop/products?category=tea", "/shop/products?category=cups");
            for (Gateway g : List.of(a, b)) {
                for (String path : paths) {
                    get(http, g, path);
                }
                assertThat(get(http, g, "/shop/products/1")).isEqualTo("1 tea 5");
            }

            sql(db, "UPDATE " + table + " SET category = 'cups', price = 9 WHERE id = 1");

            Poll.until("both gateways to serve the changed row and both listings anew", TIMEOUT, () -> {
                for (Gateway g : List.of(a, b)) {
                    if (!get(http, g, "/shop/products/1").equals("1 cups 9")
                            || !get(http, g, "/shop/products?category=tea").equals("2 tea 6")
                            || !get(http, g, "/shop/products?category=cups").equals("1 cups 9|3 cups 7")) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(Why.decisions(
                            STACK.kafka(), naming.resolve(CacheWorkflow.DECISIONS.name()), table, STACK.registry()))
                    .singleElement()
                    .satisfies(why -> assertThat(why)
                            .contains("UPDATE of " + table + " row {id=1} (changed category, price)")
                            .contains("/shop/products?category=tea")
                            .contains("/shop/products?category=cups"));
        } finally {
            vertx.close().await();
            ChangeCapture.retire(capture, TIMEOUT);
            sql(db, "DROP TABLE IF EXISTS " + table);
            db.close();
            Directories.deleteQuietly(dir);
        }
    }

    /** What the upstream answers: the row, or the category's rows, read from the table each time. */
    private static String answer(String table, String path, String category) throws SQLException {
        try (Connection db = DriverManager.getConnection(JDBC, "postgres", "");
                PreparedStatement select = db.prepareStatement(
                        category == null
                                ? "SELECT id, category, price FROM " + table + " WHERE id = ?"
                                : "SELECT id, category, price FROM " + table + " WHERE category = ? ORDER BY id")) {
            if (category == null) {
                select.setInt(1, Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)));
            } else {
                select.setString(1, category);
            }
            StringBuilder rows = new StringBuilder();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.append(rows.length() == 0 ? "" : "|")
                            .append(row.getInt(1))
                            .append(' ')
                            .append(row.getString(2))
                            .append(' ')
                            .append(row.getInt(3));
                }
            }
            return rows.toString();
        }
    }

    private static String get(WebClient http, Gateway gateway, String path) {
        return http.get(gateway.port(), "127.0.0.1", path).send().await().bodyAsString();
    }

    private static Gateway gateway(String id, int upstreamPort, TopicNaming naming) {
        return Gateway.start(
                Settings.of(Map.of(
                        "streamops.gateway.id", id,
                        "streamops.gateway.port", "0",
                        "streamops.gateway.route.shop.prefix", "/shop",
                        "streamops.gateway.route.shop.upstreams", "127.0.0.1:" + upstreamPort,
                        "streamops.gateway.route.shop.cache.ttl", "10m",
                        "streamops.gateway.auth.enabled", "false",
                        "streamops.gateway.ingest.enabled", "false")),
                STACK.kafka(),
                STACK.registry(),
                naming);
    }

    private static boolean slotActive(Connection db, String slot) throws SQLException {
        try (PreparedStatement query =
                db.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active")) {
            query.setString(1, slot);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1) > 0;
            }
        }
    }

    private static boolean unchecked(java.util.concurrent.Callable<Boolean> check) {
        try {
            return check.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sql(Connection db, String statement) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(statement);
        }
    }
}
