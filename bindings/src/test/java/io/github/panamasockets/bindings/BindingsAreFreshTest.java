package io.github.panamasockets.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regenerating from the headers on this machine gives exactly the committed files. */
class BindingsAreFreshTest {

    @Test
    void regeneratingGivesTheCommittedFiles(@TempDir Path out) throws Exception {
        Path root = ProjectFiles.root();
        var r = ProjectFiles.run(root, List.of(ProjectFiles.java(), "native/generator/Generate.java", root.toString(), "--out", out.toString()));
        assertEquals(0, r.status(), r.output());
        List<Path> generated;
        try (Stream<Path> files = Files.walk(out)) {
            generated = files.filter(Files::isRegularFile).map(out::relativize).sorted().toList();
        }
        assertTrue(generated.size() > 25, "generator wrote only " + generated);
        for (Path rel : generated) {
            assertEquals(Files.readString(root.resolve(rel)), Files.readString(out.resolve(rel)),
                    rel + " is stale: run ./psock generate and commit the result");
        }
        // And nothing generated is left over from an item no longer bound.
        Path pkg = Path.of("bindings/src/main/java/io/github/panamasockets/bindings");
        try (Stream<Path> committed = Files.list(root.resolve(pkg))) {
            for (Path p : committed.toList()) {
                assertTrue(Files.exists(out.resolve(pkg).resolve(p.getFileName())), p + " is no longer generated: remove it");
            }
        }
    }
}
