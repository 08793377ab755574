package io.wxpayfn.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) as a child process on a free port, with
 * its output in a log file and its pid in a file (so the calling script can end it if this JVM dies first).
 */
public final class AppProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final Process process;
    private final int port;
    private final Path pidFile;
    private final Thread stopOnExit = new Thread(this::stop, "bench-stop-app");

    private AppProcess(Process process, int port, Path pidFile) {
        this.process = process;
        this.port = port;
        this.pidFile = pidFile;
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts the app with {@code env} added to this process's environment. */
    static AppProcess start(int port, Map<String, String> env, Path log, Path pidFile) throws IOException {
        // e.g. -XX:StartFlightRecording=filename=target/bench/app.jfr to see where the app's time goes
        String extra = System.getProperty("bench.appJavaOptions", "").strip();
        return start(port, extra.isEmpty() ? List.of() : List.of(extra.split("\\s+")), env, log, pidFile);
    }

    /** Starts the app with these JVM options and {@code env} added to this process's environment. */
    public static AppProcess start(int port, List<String> javaOptions, Map<String, String> env, Path log, Path pidFile)
            throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run mvn -B -q package -DskipTests first");
        }
        // The shipped runtime's JDK when scripts/bench names it (bench.appJava), else this JVM's own.
        String java = System.getProperty(
                "bench.appJava",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Dquarkus.http.port=" + port));
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        Files.writeString(pidFile, Long.toString(process.pid()));
        return new AppProcess(process, port, pidFile);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits until the app answers HTTP at all (any status), or fails when it exits or the time is up. */
    public void awaitReady(HttpClient http, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(baseUrl() + "/login"))
                .timeout(Duration.ofSeconds(1))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the app exited with status " + process.exitValue());
            }
            try {
                http.send(probe, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the app did not answer within " + timeout);
    }

    /** CPU time the app has used so far (user + system, all threads). */
    Duration cpuTime() {
        return process.info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this platform does not report a process's CPU time"));
    }

    /** SIGKILL, as a crash or an out-of-memory kill would end it: no shutdown hook, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the app did not die within 10 s of SIGKILL");
        }
    }

    /** SIGTERM, then SIGKILL after 10 s; idempotent. */
    void stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // the script only uses the file while this JVM is gone, and then the app is gone too
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs (or ran) anyway
        }
    }
}
