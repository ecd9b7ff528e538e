package bildungsgraph.neo4jlauncher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs an embedded Neo4j Community DBMS with only a Bolt connector on 127.0.0.1 and
 * authentication disabled, for local development and tests.
 *
 * <p>Usage: {@code Neo4jLauncher [--port N] [--data-dir PATH]}. Defaults come from the
 * environment variables {@code NEO4J_PORT} (7687) and {@code NEO4J_DATA_DIR}
 * ({@code <repo>/.cache/neo4j-<port>}); {@code NEO4J_PAGECACHE_MB} (default 96) sizes the
 * page cache. Neo4j's own logs go to {@code <data-dir>/logs}. Once Bolt accepts connections,
 * exactly one line {@code NEO4J READY bolt://127.0.0.1:<port>} is printed to stdout. SIGTERM
 * and SIGINT shut the DBMS down cleanly.
 *
 * <p>Exit codes: 143 / 130 after a clean shutdown on SIGTERM / SIGINT (the JVM's usual
 * signal exit codes), 2 for bad arguments, 3 if the port is already in use, 1 for any other
 * start failure.
 */
public final class Neo4jLauncher {

    private static final String HOST = "127.0.0.1";
    private static final int DEFAULT_PORT = 7687;
    private static final long DEFAULT_PAGECACHE_MB = 96;
    /** Memory one transaction may use; large imports need more (NEO4J_TX_MEMORY_MB, with a larger heap). */
    private static final long DEFAULT_TX_MEMORY_MB = 128;
    private static final long MB = 1024L * 1024L;
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private Neo4jLauncher() {}

    public static void main(String[] args) {
        int port;
        Path dataDir;
        long pageCacheMb;
        long txMaxMb;
        try {
            Map<String, String> opts = parseArgs(args);
            port = parsePort(firstNonBlank(opts.get("--port"), System.getenv("NEO4J_PORT"), String.valueOf(DEFAULT_PORT)));
            String dir = firstNonBlank(opts.get("--data-dir"), System.getenv("NEO4J_DATA_DIR"), null);
            dataDir = (dir != null ? Path.of(dir) : defaultDataDir(port)).toAbsolutePath().normalize();
            String pc = System.getenv("NEO4J_PAGECACHE_MB");
            pageCacheMb = pc == null || pc.isBlank() ? DEFAULT_PAGECACHE_MB : Long.parseLong(pc.trim());
            String tx = System.getenv("NEO4J_TX_MEMORY_MB");
            txMaxMb = tx == null || tx.isBlank() ? DEFAULT_TX_MEMORY_MB : Long.parseLong(tx.trim());
        } catch (IllegalArgumentException e) {
            System.err.println("neo4j-launcher: " + e.getMessage());
            System.err.println("usage: Neo4jLauncher [--port N] [--data-dir PATH]");
            System.exit(2);
            return;
        }

        // Fail fast with a clear message instead of a long Neo4j stack trace.
        if (!portIsFree(port)) {
            System.err.println("neo4j-launcher: ERROR: port " + HOST + ":" + port
                    + " is already in use (another Neo4j still running?)");
            System.exit(3);
        }

        DatabaseManagementService dbms;
        try {
            Files.createDirectories(dataDir);
            dbms = new DatabaseManagementServiceBuilder(dataDir)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheMb * MB)
                    .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, 2 * txMaxMb * MB)
                    .setConfig(GraphDatabaseSettings.memory_transaction_max_size, txMaxMb * MB)
                    // Test databases are small and short-lived: no 256 MB pre-allocated
                    // transaction log files, and keep only a little log history.
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 16 * MB)
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                    // Internal setting: Bolt's Netty event loops wait a 5 s quiet period on
                    // shutdown (twice: public and loopback connector). The databases are
                    // already checkpointed and closed at that point, so 1 s is plenty here.
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 1)
                    .build();
        } catch (Exception e) {
            boolean portProblem = hasCause(e, java.net.BindException.class);
            System.err.println("neo4j-launcher: ERROR: failed to start Neo4j"
                    + (portProblem ? " (port " + HOST + ":" + port + " is already in use)" : "")
                    + ": " + e);
            e.printStackTrace();
            System.exit(portProblem ? 3 : 1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("neo4j-launcher: shutting down");
            try {
                dbms.shutdown();
            } finally {
                stopped.countDown();
            }
            System.err.println("neo4j-launcher: stopped");
        }, "neo4j-launcher-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(READY_TIMEOUT.toMillis()) || !waitForBolt(port, READY_TIMEOUT)) {
            System.err.println("neo4j-launcher: ERROR: Neo4j did not become ready within " + READY_TIMEOUT);
            System.exit(1);
        }

        System.out.println("NEO4J READY bolt://" + HOST + ":" + port);
        System.out.flush();

        // Keep the JVM alive until a signal triggers the shutdown hook.
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Parses {@code --port N}, {@code --data-dir PATH} (also in {@code --name=value} form). */
    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!name.equals("--port") && !name.equals("--data-dir")) {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
            if (arg.contains("=")) {
                opts.put(name, arg.substring(arg.indexOf('=') + 1));
            } else if (i + 1 < args.length) {
                opts.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("missing value for " + name);
            }
        }
        return opts;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port: " + value);
        }
    }

    /** {@code <repo>/.cache/neo4j-<port>}, where the jar lives in {@code <repo>/tools/neo4j-launcher/target}. */
    private static Path defaultDataDir(int port) {
        Path base = Path.of("");
        try {
            Path jar = Path.of(Neo4jLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path repo = jar.getParent() != null ? jar.getParent().resolve("../../..").normalize() : null;
            if (repo != null && Files.isDirectory(repo.resolve("tools/neo4j-launcher"))) {
                base = repo;
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // Fall back to the working directory.
        }
        return base.resolve(".cache").resolve("neo4j-" + port);
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls until a TCP connection to the Bolt port succeeds. */
    private static boolean waitForBolt(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 1000);
                return true;
            } catch (IOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
