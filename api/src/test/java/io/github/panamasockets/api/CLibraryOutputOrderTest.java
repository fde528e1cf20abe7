package io.github.panamasockets.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.github.panamasockets.api.Posix.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The companion's stdout and stderr and Java's System.out and System.err, all into one file (as
 * a pipe or a redirection gives them): every piece comes out in the order the program wrote it.
 */
@ExtendWith(NoLeaks.class)
class CLibraryOutputOrderTest {

    /** The child: C's output and Java's, mixed, without a flush of its own. */
    public static void main(String[] args) {
        printf("a ");
        System.out.print("b ");
        printf("%s\n", "c");
        fprintf(stderr, "d\n");
        System.err.println("e");
        puts("f");
        putchar('g');
        System.out.println();
        fputs("h ", stderr);
        System.out.print("i ");
        printf("j\n");
        exit(3);
    }

    @Test
    void javaAndTheCompanionComeOutInProgramOrder(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("both.txt");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), CLibraryOutputOrderTest.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        int status = p.waitFor();
        // The JDK may hold a pipe for the merged stderr that its reaper closes later: close it now
        p.getInputStream().close();
        p.getErrorStream().close();
        p.getOutputStream().close();
        assertEquals(3, status); // exit(3)
        assertEquals("a b c\nd\ne\nf\ng\nh i j\n", Files.readString(out));
    }
}
