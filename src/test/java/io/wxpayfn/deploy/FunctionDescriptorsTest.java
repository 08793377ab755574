package io.wxpayfn.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wxpayfn.config.DeclaredVariables;
import io.wxpayfn.config.FunctionSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * functions/functions.json is the one source of truth: it names exactly the code's functions, functions/* is what
 * scripts/generate-functions makes from it, and each descriptor is well-formed.
 */
class FunctionDescriptorsTest {

    private static final Path FUNCTIONS = Path.of("functions");
    private static final Pattern FUNQ = Pattern.compile("@Funq\\(\"([^\"]+)\"\\)");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\s+[A-Z0-9_]+: \\$\\{env:[A-Z0-9_]+}");

    @Test
    void eachFunctionInTheCodeHasItsOwnDescriptorDirectoryAndNoOtherExists() throws IOException {
        assertEquals(funqNames(), descriptorNames());
    }

    @Test
    void theSourceOfTruthListsExactlyTheFunctionsOfTheCode() throws IOException {
        assertEquals(funqNames(), new TreeSet<>(FunctionSpecs.load().functions().keySet()));
    }

    @Test
    void theDescriptorsAreExactlyWhatTheGeneratorMakesFromTheSourceOfTruth() throws Exception {
        Process check = new ProcessBuilder("python3", "scripts/generate-functions", "--check")
                .redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS), "generator did not finish");
        assertEquals(0, check.exitValue(), output);
    }

    @Test
    void eachDescriptorIsGivenExactlyTheVariablesItsFunctionDeclares() throws IOException {
        FunctionSpecs specs = FunctionSpecs.load();
        for (String name : descriptorNames()) {
            String yml = Files.readString(FUNCTIONS.resolve(name).resolve("serverless.yml"));
            String variables = yml.substring(yml.indexOf("    variables:\n") + 15, yml.indexOf("\n  events:"));
            Set<String> given = new TreeSet<>();
            for (String line : variables.split("\n")) {
                if (!line.isBlank() && !line.trim().startsWith("#")) {
                    given.add(line.trim().substring(0, line.trim().indexOf(':')));
                }
            }
            assertEquals(DeclaredVariables.of(specs, name), given, name);
        }
    }

    @Test
    void eachBootstrapIsAnExecutableLfBashScriptServingOnlyItsFunctionOnPort9000() throws IOException {
        for (String name : descriptorNames()) {
            Path bootstrap = FUNCTIONS.resolve(name).resolve("scf_bootstrap");
            String text = Files.readString(bootstrap, StandardCharsets.US_ASCII);
            assertTrue(Files.isExecutable(bootstrap), name + ": scf_bootstrap must be executable");
            assertTrue(text.startsWith("#!/bin/bash\n"), name + ": first line must be #!/bin/bash");
            assertFalse(text.contains("\r"), name + ": CR found, SCF needs LF line endings");
            assertTrue(text.contains("\nexport FUNCTION_ROUTE=" + name + "\n"), name + ": FUNCTION_ROUTE");
            assertTrue(text.contains("${WXPAYFN_CODE_DIR:-/var/user}"), name + ": absolute code dir /var/user");
            assertTrue(text.contains("${WXPAYFN_RUNTIME_DIR:-/opt}"), name + ": the runtime layer in /opt");
            assertTrue(text.contains("-Dquarkus.http.host=0.0.0.0"), name + ": must listen on 0.0.0.0");
            assertTrue(text.contains("${WXPAYFN_HTTP_PORT:-9000}"), name + ": must listen on 9000");
        }
    }

    @Test
    void eachDescriptorIsAWebFunctionWhoseEnvironmentOnlyReferencesTheDeployersVariables() throws IOException {
        for (String name : descriptorNames()) {
            String yml = Files.readString(FUNCTIONS.resolve(name).resolve("serverless.yml"));
            assertTrue(yml.contains("\nname: " + name + "\n"), name + ": instance name");
            assertTrue(yml.contains("\n  type: web\n"), name + ": must be a web function");
            assertTrue(yml.contains("src: ../../target/deploy/" + name + "\n"), name + ": its own package");
            assertTrue(
                    yml.contains("version: ${output:${stage}:${app}:wxpayfn-runtime.version}"), name + ": the layer");
            String variables = yml.substring(yml.indexOf("    variables:\n") + 15, yml.indexOf("\n  events:"));
            for (String line : variables.split("\n")) {
                if (!line.isBlank() && !line.trim().startsWith("#")) {
                    assertTrue(ENV_REFERENCE.matcher(line).matches(), name + ": inlined value? " + line);
                }
            }
        }
    }

    /** sls reads these as YAML: a description holding ": " once made four of them unreadable. */
    @Test
    void everyServerlessDescriptorIsWellFormedYamlNamingItsFunction() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String name : descriptorNames()) {
            JsonNode descriptor = yaml.readTree(
                    FUNCTIONS.resolve(name).resolve("serverless.yml").toFile());
            assertEquals(name, descriptor.path("name").asText(), name);
            assertEquals(
                    FunctionSpecs.load().functions().get(name).description(),
                    descriptor.at("/inputs/description").asText(),
                    name);
        }
        for (Path top : new Path[] {Path.of("serverless.yml"), Path.of("layer", "serverless.yml")}) {
            assertTrue(yaml.readTree(top.toFile()).isObject(), top.toString());
        }
    }

    @Test
    void eachSampleRequestPostsToItsOwnRoute() throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String name : descriptorNames()) {
            JsonNode sample = json.readTree(
                    FUNCTIONS.resolve(name).resolve("sample-request.json").toFile());
            assertEquals("POST", sample.get("method").asText(), name);
            assertEquals("/" + name, sample.get("path").asText(), name);
            assertTrue(sample.get("body").isObject(), name + ": body");
        }
    }

    private static Set<String> descriptorNames() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(FUNCTIONS)) {
            dirs.filter(Files::isDirectory)
                    .forEach(dir -> names.add(dir.getFileName().toString()));
        }
        return names;
    }

    private static Set<String> funqNames() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : (Iterable<Path>) sources.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher funq = FUNQ.matcher(Files.readString(source));
                while (funq.find()) {
                    names.add(funq.group(1));
                }
            }
        }
        return names;
    }
}
