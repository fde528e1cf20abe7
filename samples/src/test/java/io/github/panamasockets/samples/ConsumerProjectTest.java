package io.github.panamasockets.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The library in a user's own Maven project (samples/src/test/consumer), as the README's "Use it in
 * your own project" says: built offline against the artifacts this build installed, once on the
 * class path and once as a named module, then run with the README's --enable-native-access for
 * each. Nothing may print but the program's line and the trace's short form: no warning.
 */
@Timeout(300)
class ConsumerProjectTest {
    static final String CLASS_PATH_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final String MODULE_PATH_ACCESS = "--enable-native-access=io.github.panamasockets.bindings,io.github.panamasockets.api";

    @TempDir
    Path dir;

    record Run(int exit, List<String> stdout, List<String> stderr) {}

    @Test
    void onTheClassPath() throws Exception {
        Path project = project("classpath", false);
        String cp = project.resolve("target/classes") + ":" + Files.readString(project.resolve("cp.txt")).strip();
        assertRunsWithoutWarnings(run(project, java(), CLASS_PATH_ACCESS, "-cp", cp, "demo.Demo"));
    }

    @Test
    void asANamedModule() throws Exception {
        Path project = project("module", true);
        String mp = project.resolve("target/classes") + ":" + Files.readString(project.resolve("cp.txt")).strip();
        assertRunsWithoutWarnings(run(project, java(), MODULE_PATH_ACCESS, "-p", mp, "-m", "demo/demo.Demo"));
    }

    private static void assertRunsWithoutWarnings(Run r) {
        String all = String.join("\n", r.stdout()) + "\n" + String.join("\n", r.stderr());
        assertEquals(0, r.exit(), all);
        assertEquals(1, r.stdout().size(), all);
        assertTrue(r.stdout().getFirst().matches("bound to 127\\.0\\.0\\.1:\\d+"), all);
        List<String> calls = r.stderr().stream().map(l -> l.replaceFirst("\\(.*", "")).toList();
        assertEquals(List.of("[main] DEBUG socket", "[main] DEBUG bind", "[main] DEBUG getsockname", "[main] DEBUG close"), calls,
                "only the trace, in the short form, and no warning: " + all);
    }

    /** The consumer project copied into dir/NAME (module-info.java only for a module), built offline; cp.txt its dependencies. */
    private Path project(String name, boolean module) throws Exception {
        Path template = SampleRuns.root().resolve("samples/src/test/consumer");
        Path project = dir.resolve(name);
        try (Stream<Path> files = Files.walk(template)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!module && f.getFileName().toString().equals("module-info.java")) continue;
                Path to = project.resolve(template.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.writeString(to, fill(Files.readString(f)));
            }
        }
        Run build = run(project, "mvn", "-B", "-q", "-o", "-Dstyle.color=never", "-Dmaven.repo.local=" + property("psock.localRepository"),
                "-Dmaven.test.skip=true", "package", "dependency:build-classpath", "-Dmdep.outputFile=cp.txt", "-Dmdep.includeScope=runtime");
        if (build.exit() != 0) fail("the consumer project did not build:\n" + String.join("\n", build.stdout()) + String.join("\n", build.stderr()));
        return project;
    }

    /** The placeholders of the template's pom: our version, slf4j's, and the plugin versions our parent pom pins. */
    private static String fill(String text) throws IOException {
        String parent = Files.readString(SampleRuns.root().resolve("pom.xml"));
        text = text.replace("@VERSION@", property("psock.version")).replace("@SLF4J_VERSION@", property("psock.slf4jVersion"));
        Matcher m = Pattern.compile("@(\\w+)_VERSION@").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String plugin = "maven-" + m.group(1).toLowerCase() + "-plugin";
            Matcher v = Pattern.compile("<artifactId>" + plugin + "</artifactId>\\s*<version>([^<]+)</version>").matcher(parent);
            if (!v.find()) fail("the parent pom pins no version of " + plugin);
            m.appendReplacement(out, v.group(1));
        }
        return m.appendTail(out).toString();
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) fail(name + " is not set: the samples' pom passes it to the tests");
        return value;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Run run(Path in, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(in.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS"); // it would print "Picked up ..." on stderr
        Process p = pb.start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            fail(String.join(" ", command) + " did not end within 240 s");
        }
        return new Run(p.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
    }
}
