package io.streamops.benchmarks.suite;

import io.streamops.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * nginx from the Debian package, in one process with two servers: the upstream every proxy under
 * test forwards to (a fixed 200 response), and the baseline, a plain {@code proxy_pass} to it with
 * upstream keep-alive, as nginx is tuned for proxying.
 */
final class Nginx implements AutoCloseable {

    private final ChildProcess process;
    private final int upstreamPort;
    private final int proxyPort;

    private Nginx(ChildProcess process, int upstreamPort, int proxyPort) {
        this.process = process;
        this.upstreamPort = upstreamPort;
        this.proxyPort = proxyPort;
    }

    static Nginx start(Path dir) throws IOException {
        int upstreamPort = EmbeddedKafkaBroker.freePort();
        int proxyPort = EmbeddedKafkaBroker.freePort();
        Files.createDirectories(dir.resolve("temp"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(
                conf,
                CONFIG.replace("@DIR@", dir.toAbsolutePath().toString())
                        .replace("@UPSTREAM@", Integer.toString(upstreamPort))
                        .replace("@PROXY@", Integer.toString(proxyPort)));
        ChildProcess process = ChildProcess.start(
                "nginx",
                List.of(
                        "nginx",
                        "-p",
                        dir.toAbsolutePath().toString(),
                        "-c",
                        conf.toAbsolutePath().toString(),
                        "-g",
                        "daemon off;"),
                Map.of(),
                dir.resolve("nginx-stdout.log"),
                null);
        process.awaitPort(upstreamPort, Duration.ofSeconds(20));
        process.awaitPort(proxyPort, Duration.ofSeconds(20));
        return new Nginx(process, upstreamPort, proxyPort);
    }

    /** The upstream every proxy forwards to. */
    int upstreamPort() {
        return upstreamPort;
    }

    /** The baseline proxy in front of the upstream. */
    int proxyPort() {
        return proxyPort;
    }

    @Override
    public void close() {
        process.close();
    }

    // Keep-alive without a request cap on every hop: a load connection stays one connection.
    private static final String CONFIG = """
            worker_processes auto;
            worker_rlimit_nofile 65535;
            error_log @DIR@/error.log warn;
            pid @DIR@/nginx.pid;
            events {
              worker_connections 30000;
            }
            http {
              access_log off;
              client_body_temp_path @DIR@/temp/client;
              proxy_temp_path @DIR@/temp/proxy;
              fastcgi_temp_path @DIR@/temp/fastcgi;
              uwsgi_temp_path @DIR@/temp/uwsgi;
              scgi_temp_path @DIR@/temp/scgi;
              keepalive_requests 100000000;
              keepalive_timeout 300s;
              upstream app {
                server 127.0.0.1:@UPSTREAM@;
                keepalive 256;
                keepalive_requests 100000000;
              }
              server {
                listen 127.0.0.1:@UPSTREAM@ backlog=4096;
                location / {
                  default_type text/plain;
                  return 200 "ok\\n";
                }
              }
              server {
                listen 127.0.0.1:@PROXY@ backlog=4096;
                location / {
                  proxy_pass http://app;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                }
              }
            }
            """;
}
