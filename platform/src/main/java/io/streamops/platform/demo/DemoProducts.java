package io.streamops.platform.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo's product catalogue, a real PostgreSQL table ({@value #TABLE}) behind the demo's cacheable
 * {@code /api/products} route: created and filled on first use, its rows read by the demo upstream
 * and one row changed every two seconds (a price, sometimes a category), so that the change stream
 * evicts what the gateways cached.
 */
public final class DemoProducts implements AutoCloseable {

    public static final String TABLE = "streamops_demo.products";
    public static final int ROWS = 1_000;
    static final List<String> CATEGORIES = List.of("tea", "coffee", "cups", "kettles", "grinders", "gifts");

    private final Connection connection;
    private final ScheduledExecutorService writer;
    private final Random random = new Random(42);

    private DemoProducts(Connection connection, ScheduledExecutorService writer) {
        this.connection = connection;
        this.writer = writer;
    }

    /** Opens the table (creating and filling it the first time) and starts changing a row every {@code writeMillis}. */
    public static DemoProducts start(String jdbcUrl, String user, long writeMillis) throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl, user, "");
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS streamops_demo");
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id int PRIMARY KEY, name text NOT NULL, "
                    + "category text NOT NULL, price numeric(8,2) NOT NULL, version int NOT NULL DEFAULT 1)");
            // Every column in the before image, so a row that changes category invalidates the old listing.
            s.execute("ALTER TABLE " + TABLE + " REPLICA IDENTITY FULL");
            s.execute("CREATE TABLE IF NOT EXISTS " + DemoViews.TABLE
                    + " (id int PRIMARY KEY, views bigint NOT NULL DEFAULT 0)");
            s.execute("INSERT INTO " + TABLE + " (id, name, category, price) SELECT i, 'product ' || i, "
                    + "(ARRAY" + CATEGORIES.stream().map(c -> "'" + c + "'").toList() + ")[1 + i % "
                    + CATEGORIES.size() + "], 5 + (i % 50) FROM generate_series(1, " + ROWS + ") i "
                    + "ON CONFLICT (id) DO NOTHING");
        }
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-products-writer");
            t.setDaemon(true);
            return t;
        });
        DemoProducts products = new DemoProducts(connection, writer);
        writer.scheduleAtFixedRate(products::changeOne, writeMillis, writeMillis, TimeUnit.MILLISECONDS);
        return products;
    }

    private synchronized void changeOne() {
        int id = 1 + random.nextInt(ROWS);
        boolean move = random.nextInt(10) == 0;
        String sql = move
                ? "UPDATE " + TABLE + " SET category = ?, version = version + 1 WHERE id = ?"
                : "UPDATE " + TABLE + " SET price = price + ?, version = version + 1 WHERE id = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            if (move) {
                update.setString(1, CATEGORIES.get(random.nextInt(CATEGORIES.size())));
            } else {
                update.setBigDecimal(1, java.math.BigDecimal.valueOf(random.nextInt(3) - 1));
            }
            update.setInt(2, id);
            update.executeUpdate();
        } catch (SQLException e) {
            // The demo goes on; the next change may succeed.
        }
    }

    /** The server's wal_level: change capture needs "logical". */
    public synchronized String walLevel() throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet row = s.executeQuery("SHOW wal_level")) {
            row.next();
            return row.getString(1);
        }
    }

    /** One product as JSON, or null. */
    public synchronized JsonObject product(int id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, name, category, price, version FROM " + TABLE + " WHERE id = ?")) {
            select.setInt(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? json(row) : null;
            }
        }
    }

    /** The first 20 products of a category. */
    public synchronized JsonArray category(String category) throws SQLException {
        JsonArray items = new JsonArray();
        try (PreparedStatement select = connection.prepareStatement("SELECT id, name, category, price, version FROM "
                + TABLE + " WHERE category = ? ORDER BY id LIMIT 20")) {
            select.setString(1, category);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    items.add(json(row));
                }
            }
        }
        return items;
    }

    private static JsonObject json(ResultSet row) throws SQLException {
        return new JsonObject()
                .put("id", row.getInt("id"))
                .put("name", row.getString("name"))
                .put("category", row.getString("category"))
                .put("price", row.getBigDecimal("price").toPlainString())
                .put("version", row.getInt("version"));
    }

    @Override
    public void close() throws SQLException {
        writer.shutdownNow();
        synchronized (this) {
            connection.close();
        }
    }
}
