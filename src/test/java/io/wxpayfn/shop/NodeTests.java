package io.wxpayfn.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs JavaScript tests under src/test/js with Node's own runner ({@code node --test}) and fails the JUnit test
 * unless node exits 0 having run at least one test and failed none. Node's whole output is printed and kept in
 * target/node/.
 */
final class NodeTests {

    static final Path JS_TESTS = Path.of("src/test/js");
    private static final int NODE_MAJOR = 20;
    private static final Pattern COUNT = Pattern.compile("(?m)^# (pass|fail) (\\d+)$");

    private NodeTests() {}

    /** Fails with one line saying what to install when Node.js 20+ is missing. */
    static void requireNode() {
        String version = run(List.of("node", "--version"), "node --version").trim();
        Matcher major = Pattern.compile("v(\\d+)\\.").matcher(version);
        if (!major.lookingAt() || Integer.parseInt(major.group(1)) < NODE_MAJOR) {
            fail("Node.js " + NODE_MAJOR + "+ is needed for the JavaScript tests, found " + version
                    + ": install it (apt-get install nodejs) or run .ci/run");
        }
    }

    /**
     * {@code node --test} on these files (relative to src/test/js) with extra environment variables.
     * @param log the name of the output file under target/node/
     */
    static String runTests(String log, Map<String, String> env, long timeoutSeconds, String... files) {
        requireNode();
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=tap"));
        command.addAll(List.of(files));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(JS_TESTS.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Path out = Path.of("target/node", log + ".log").toAbsolutePath();
        try {
            Files.createDirectories(out.getParent());
            builder.redirectOutput(out.toFile());
            Process process = builder.start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println("---- node --test " + String.join(" ", files) + " ----\n" + output);
            assertTrue(finished, "node --test did not finish within " + timeoutSeconds + " s:\n" + output);
            assertEquals(0, process.exitValue(), "node --test failed (output in " + out + "):\n" + output);
            long passed = count(output, "pass");
            assertTrue(passed > 0 && count(output, "fail") == 0, "node ran no passing test:\n" + output);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while node ran", e);
        }
    }

    private static long count(String output, String what) {
        Matcher m = COUNT.matcher(output);
        long total = 0;
        boolean seen = false;
        while (m.find()) {
            if (m.group(1).equals(what)) {
                total += Long.parseLong(m.group(2));
                seen = true;
            }
        }
        return seen ? total : -1;
    }

    private static String run(List<String> command, String what) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            fail("Node.js " + NODE_MAJOR + "+ is needed for the JavaScript tests and `" + what
                    + "` could not run: install it (apt-get install nodejs) or run .ci/run");
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
