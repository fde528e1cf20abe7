package io.github.panamasockets.bindings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Compiles a tree of generated sources with this JDK's javac, for tests that need another platform's classes. */
final class JavaSources {
    private JavaSources() {}

    /** Compiles every .java under each root into out; returns javac's messages, "" when it compiled. */
    static String compile(List<Path> roots, Path out, String classPath) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-d", out.toString(), "-proc:none", "-nowarn"));
        if (classPath != null) command.addAll(List.of("-cp", classPath));
        for (Path root : roots) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java")).sorted().forEach(p -> command.add(p.toString()));
            }
        }
        var r = ProjectFiles.run(out, command);
        return r.status() == 0 ? "" : r.output().isEmpty() ? "javac failed" : r.output();
    }

    /** This test JVM's class path without this module's own main classes (another platform's replace them). */
    static String testClassPathWithoutMainClasses() {
        List<String> kept = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!Path.of(e).toAbsolutePath().normalize().endsWith(Path.of("target", "classes"))) kept.add(e);
        }
        return String.join(java.io.File.pathSeparator, kept);
    }
}
