import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A project of its own for the generator (src/test/resources/mini: a header, its jextract argument
 * file, its constant prefixes), with the C that native/sockets.h does not have. It lives at a fixed
 * place under target/, so that its commands are replayed in every JVM like the real project's.
 */
final class MiniProject {
    private MiniProject() {}

    static final String[] FILES = {"sockets.h", "sockets.jextract", "constant-prefixes"};

    /** The project, written (again) under target/NAME with the given constant-prefixes file. */
    static Path create(String name, String constantPrefixes) throws IOException {
        return create(name, constantPrefixes == null ? Map.of() : Map.of("constant-prefixes", constantPrefixes));
    }

    /** The project under target/NAME, with some of its files (by name: sockets.h, ...) replaced. */
    static Path create(String name, Map<String, String> replaced) throws IOException {
        Path root = Generated.root().resolve("native/generator/target").resolve(name);
        Files.createDirectories(root.resolve("native"));
        for (String f : FILES) {
            byte[] bytes;
            if (replaced.containsKey(f)) bytes = replaced.get(f).getBytes();
            else try (InputStream in = MiniProject.class.getResourceAsStream("mini/" + f)) { bytes = in.readAllBytes(); }
            Path p = root.resolve("native").resolve(f);
            // Unchanged files keep their time stamp; a JVM beside this one may be reading them.
            if (!Files.exists(p) || !java.util.Arrays.equals(Files.readAllBytes(p), bytes)) {
                Path tmp = Files.createTempFile(p.getParent(), f, ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return root;
    }

    /** Compiles the generated Java (without module-info: the class path is enough here); null when it compiles, else javac's errors. */
    static String compile(Path out, Path classes) throws IOException {
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java")).toList()) sources.add(p);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, null)) {
            boolean ok = javac.getTask(null, fm, diagnostics, List.of("-d", classes.toString(), "-proc:none", "-Xlint:none"),
                    null, fm.getJavaFileObjectsFromPaths(sources)).call();
            return ok ? null : diagnostics.getDiagnostics().toString();
        }
    }

    static URLClassLoader loader(Path classes) throws IOException {
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, MiniProject.class.getClassLoader());
    }

    static Map<Path, String> generate(Path root, Path out) throws IOException {
        return Generated.run(root, null, out);
    }
}
