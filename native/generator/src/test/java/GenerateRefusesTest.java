import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the generator refuses, with a message that says why. */
class GenerateRefusesTest {

    @Test
    void aNamedConstantThatIsNoIntegerConstant(@TempDir Path out) throws Exception {
        Path root = MiniProject.create("mini-string-constant", "MINI_*\nMINI_STR\n");
        IOException e = assertThrows(IOException.class, () -> Generated.run(root, null, out));
        assertEquals("constant MINI_STR is not an integer constant in native/sockets.h", e.getMessage());
    }

    /** An error in the header itself is no constant's: the probe stops at once and shows it. */
    @Test
    void aHeaderThatDoesNotCompile(@TempDir Path out) throws Exception {
        Path root = MiniProject.create("mini-broken", Map.of("sockets.h", "#define MINI_ONE 1\nstatic int broken = undeclared_name;\n"));
        IOException e = assertThrows(IOException.class, () -> Generated.run(root, null, out));
        assertTrue(e.getMessage().startsWith("constant probe failed:\n"), e.getMessage());
        assertTrue(e.getMessage().contains("sockets.h:2:21: error:"), e.getMessage());
    }

    /** Nor is a probe that compiles but does not link (here the header renames main). */
    @Test
    void aProbeThatDoesNotLink(@TempDir Path out) throws Exception {
        Path root = MiniProject.create("mini-no-main", Map.of("sockets.h", "#define MINI_ONE 1\n#define main psock_main\n"));
        IOException e = assertThrows(IOException.class, () -> Generated.run(root, null, out));
        assertTrue(e.getMessage().startsWith("constant probe failed:\n"), e.getMessage());
        assertTrue(e.getMessage().contains("undefined reference to `main'"), e.getMessage());
    }

    @Test
    void anArgumentFileWithoutHeaderClass(@TempDir Path out) throws Exception {
        Path root = MiniProject.create("mini-no-class", Map.of("sockets.jextract", "native/sockets.h\n--include-function labs\n"));
        IOException e = assertThrows(IOException.class, () -> Generated.run(root, null, out));
        assertEquals(root.resolve("native/sockets.jextract") + " names no header or no --header-class-name", e.getMessage());
        Path noHeader = MiniProject.create("mini-no-header", Map.of("sockets.jextract", "--header-class-name\nx_h\n-l\nc\n"));
        e = assertThrows(IOException.class, () -> Generated.run(noHeader, null, out));
        assertEquals(noHeader.resolve("native/sockets.jextract") + " names no header or no --header-class-name", e.getMessage());
    }
}
